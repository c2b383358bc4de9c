using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>What a person does in the invoice editor, step by step, for the flows that start with a new invoice.</summary>
internal static class InvoiceEditorSteps
{
    public sealed record Line(string Description, string Quantity, string UnitPrice, bool Taxable = false);

    /// <summary>Opens a new invoice, picks the client by typing part of its name, and fills the lines.</summary>
    public static async Task<string> FillNewInvoiceAsync(IPage page, string clientSearch, string clientName, params Line[] lines)
    {
        await page.OpenAsync("/invoices/new");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New invoice" })).ToBeVisibleAsync();
        var number = await page.GetByLabel("Invoice number").InputValueAsync();

        // Pick from the filtered list, as a person does once it shows only the match; an item of the list shown
        // before the search ran may be replaced under the click.
        var client = page.GetByLabel("Client", new() { Exact = true });
        await client.FillAsync(clientSearch);
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(1);
        await page.Locator(".mud-popover-open").GetByText(clientName, new() { Exact = true }).ClickAsync();
        await Expect(client).ToHaveValueAsync(clientName);

        for (var i = 0; i < lines.Length; i++)
        {
            var n = i + 1;
            if (n > 1)
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Add line" }).ClickAsync();
            }

            await page.GetByLabel($"Line {n} description").FillAsync(lines[i].Description);
            await page.GetByLabel($"Line {n} quantity").FillAsync(lines[i].Quantity);
            await page.GetByLabel($"Line {n} unit price").FillAsync(lines[i].UnitPrice);
            if (lines[i].Taxable)
            {
                await page.GetByLabel($"Line {n} taxable").CheckAsync();
            }
        }

        return number;
    }

    public static async Task SaveAndMarkSentAsync(IPage page, string number)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and mark sent" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Invoice {number}" })).ToBeVisibleAsync();
    }
}

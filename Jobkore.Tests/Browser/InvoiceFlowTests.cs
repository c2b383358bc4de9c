using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed partial class InvoiceFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task CreateInvoiceWithTwoLines_AppearsInTheListWithItsTotal()
    {
        var page = await fixture.NewPageAsync();
        await page.OpenAsync("/invoices/new");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New invoice" })).ToBeVisibleAsync();
        var number = await page.GetByLabel("Invoice number").InputValueAsync();

        await page.GetByLabel("Client", new() { Exact = true }).FillAsync("O'Brien");
        await page.Locator(".mud-popover-open").GetByText("Maria O'Brien").ClickAsync();

        await page.GetByLabel("Line 1 description").FillAsync("Replace kitchen faucet");
        await page.GetByLabel("Line 1 quantity").FillAsync("2");
        await page.GetByLabel("Line 1 unit price").FillAsync("45.50");
        await page.GetByLabel("Line 1 taxable").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add line" }).ClickAsync();
        await page.GetByLabel("Line 2 description").FillAsync("Haul away old fixture");
        await page.GetByLabel("Line 2 unit price").FillAsync("35");

        // 2 × 45.50 taxable at the demo's 8.25% → tax 7.51; total 91.00 + 35.00 + 7.51.
        await Expect(page.GetByTestId("subtotal")).ToHaveTextAsync("$126.00");
        await Expect(page.GetByTestId("tax")).ToHaveTextAsync("$7.51");
        await Expect(page.GetByTestId("total")).ToHaveTextAsync("$133.51");
        await page.ScreenshotAsync("invoice-editor");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save and mark sent" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(InvoiceUrl());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Invoice {number}" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Status: Sent").First).ToBeVisibleAsync();

        await page.OpenAsync("/invoices");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = number });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Maria O'Brien");
        await Expect(row).ToContainTextAsync("$133.51");
        await page.ScreenshotAsync("invoice-list");
    }

    [GeneratedRegex(@"/invoices/\d+$")]
    private static partial Regex InvoiceUrl();
}

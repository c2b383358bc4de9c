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
        var page = await fixture.NewSignedInPageAsync();
        var number = await InvoiceEditorSteps.FillNewInvoiceAsync(page, "O'Brien", "Maria O'Brien",
            new InvoiceEditorSteps.Line("Replace kitchen faucet", "2", "45.50", Taxable: true),
            new InvoiceEditorSteps.Line("Haul away old fixture", "1", "35"));

        // 2 × 45.50 taxable at the demo's 8.25% → tax 7.51; total 91.00 + 35.00 + 7.51.
        await Expect(page.GetByTestId("subtotal")).ToHaveTextAsync("$126.00");
        await Expect(page.GetByTestId("tax")).ToHaveTextAsync("$7.51");
        await Expect(page.GetByTestId("total")).ToHaveTextAsync("$133.51");
        await page.ScreenshotAsync("invoice-editor");

        await InvoiceEditorSteps.SaveAndMarkSentAsync(page, number);
        await Expect(page).ToHaveURLAsync(InvoiceUrl());
        await Expect(page.GetByLabel("Status: Sent").First).ToBeVisibleAsync();

        await page.OpenAsync("/invoices");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = number });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Maria O'Brien");
        await Expect(row).ToContainTextAsync("$133.51");
        await page.ScreenshotAsync("invoice-list");
    }

    [Fact]
    public async Task RecordPaymentRemoveItAndVoid_EachStepShowsOnTheInvoice()
    {
        var page = await fixture.NewSignedInPageAsync();
        var number = await InvoiceEditorSteps.FillNewInvoiceAsync(page, "zoë", "Café Zoë", new InvoiceEditorSteps.Line("Descale espresso machine line", "1", "200"));
        await InvoiceEditorSteps.SaveAndMarkSentAsync(page, number);

        await page.GetByRole(AriaRole.Button, new() { Name = "Record payment" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByLabel("Amount")).ToHaveValueAsync("200.00");
        await dialog.GetByLabel("Amount").FillAsync("250");
        await Expect(dialog).ToContainTextAsync("The payment is more than the open balance of $200.00.");
        await dialog.GetByLabel("Amount").FillAsync("120");
        await dialog.GetByLabel("Reference").FillAsync("pi_3PZyVeLkdIwHu7ix0xyzABC");
        await Expect(dialog).ToContainTextAsync("QuickBooks takes 21 characters as a reference number: it gets “pi_3PZyVeLkdIwHu7ix0x”, and the whole reference goes in the payment's note there.");
        await dialog.GetByLabel("Reference").FillAsync("Check #1042");
        await Expect(dialog).ToContainTextAsync("Check number, card authorization or transfer id (optional)");
        await page.ScreenshotAsync("record-payment-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Record payment" }).ClickAsync();

        await Expect(page.GetByText($"Payment of $120.00 recorded on invoice {number}.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Status: Partially paid")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("$80.00");
        await Expect(page.GetByText("Check #1042")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Void", Exact = true })).ToBeDisabledAsync();
        await page.ScreenshotAsync("invoice-details");

        await page.GetByRole(AriaRole.Button, new() { Name = "Remove payment of $120.00" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Remove payment" })).ToBeVisibleAsync();
        await page.AuditAccessibilityAsync("remove-payment-dialog");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Remove payment" }).ClickAsync();
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("$200.00");
        await Expect(page.GetByLabel("Status: Sent")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Void", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync($"Void invoice {number}?");
        await page.AuditAccessibilityAsync("void-dialog");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Void invoice" }).ClickAsync();

        await Expect(page.GetByLabel("Status: Void")).ToBeVisibleAsync();
        await Expect(page.GetByText("This invoice was voided on")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Record payment" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Edit" })).ToHaveCountAsync(0);
        await page.AuditAccessibilityAsync("invoice-void");
    }

    [GeneratedRegex(@"/invoices/\d+$")]
    private static partial Regex InvoiceUrl();
}

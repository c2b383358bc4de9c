using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>An admin connects QuickBooks through the built-in sandbox, picks the deposit account, disconnects and connects again.</summary>
[Collection(BrowserCollection.Name)]
public sealed class QuickBooksConnectFlowTests(BrowserFixture fixture)
{
    private const string Acme = "Acme Plumbing & Heating LLC";

    [Fact]
    public async Task AdminConnectsAcme_ChoosesChecking_DisconnectsKeepingMappings_AndConnectsAgain()
    {
        var page = await fixture.NewSignedInPageAsync();
        await page.OpenAsync("/settings/integrations");
        await Expect(page.GetByTestId("connection-status")).ToHaveTextAsync("Not connected");
        await page.AuditAccessibilityAsync("quickbooks-card-not-connected");

        await ConnectAcmeAsync(page);
        await Expect(page.GetByText($"Connected to {Acme}.")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("environment-badge")).ToHaveTextAsync("Built-in sandbox");
        await Expect(page.GetByTestId("last-sync")).ToHaveTextAsync("Last sync: Never");
        await page.ScreenshotAsync("quickbooks-card-connected");

        await page.GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).ClickAsync();
        await page.WaitForPathAsync("/settings/integrations/quickbooks");
        await Expect(page.GetByText("Ask your accountant if you're unsure which to select")).ToBeVisibleAsync();
        var deposit = page.GetByLabel("Deposit account", new() { Exact = true });
        await Expect(deposit).ToHaveValueAsync("Undeposited Funds (QuickBooks' default)");
        await deposit.ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-list-item").First).ToBeVisibleAsync();
        await page.AuditAccessibilityAsync("quickbooks-settings-deposit-account-open");
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^Checking$") }).ClickAsync();
        await Expect(deposit).ToHaveValueAsync("Checking");
        await Expect(page.GetByLabel("Income account for new catalog items")).ToHaveValueAsync("Services");
        await page.GetByTestId("save-settings").ClickAsync();
        await Expect(page.GetByText("QuickBooks settings saved.")).ToBeVisibleAsync();
        await page.ScreenshotAsync("quickbooks-settings");

        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByLabel("Deposit account", new() { Exact = true })).ToHaveValueAsync("Checking");

        await page.OpenAsync("/settings/integrations");
        await page.GetByRole(AriaRole.Button, new() { Name = "Disconnect" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync($"Disconnect {Acme}?");
        await Expect(dialog.GetByRole(AriaRole.Radio, new() { Name = "Keep mappings" })).ToBeCheckedAsync();
        await page.ScreenshotAsync("quickbooks-disconnect-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Disconnect" }).ClickAsync();
        await Expect(page.GetByText($"Disconnected from {Acme}. The links are kept for when you reconnect.")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("connection-status")).ToHaveTextAsync("Not connected");
        await page.AuditAccessibilityAsync("quickbooks-card-disconnected");

        await ConnectAcmeAsync(page);
        await Expect(page.GetByTestId("waiting-count")).ToContainTextAsync("documents waiting");
        await page.GetByTestId("sync-now").ClickAsync();
        await Expect(page.GetByText(new System.Text.RegularExpressions.Regex(@"^Synced \d+ documents · \d+ failed"))).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("waiting-count")).ToContainTextAsync("failed");
        await Expect(page.GetByTestId("last-sync")).Not.ToHaveTextAsync("Last sync: Never");
        await page.ScreenshotAsync("quickbooks-card-after-sync-now");
        await page.OpenAsync("/invoices");
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "QuickBooks" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-sync-status=UpToDate]").First).ToBeVisibleAsync();
        await page.ScreenshotAsync("invoices-with-sync-status");
        await page.OpenAsync("/settings/integrations");

        await page.GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).ClickAsync();
        await page.WaitForPathAsync("/settings/integrations/quickbooks");
        await Expect(page.GetByLabel("Deposit account", new() { Exact = true })).ToHaveValueAsync("Checking");
    }

    private static async Task ConnectAcmeAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Connect QuickBooks" }).ClickAsync();
        await page.AllowOnConsentPageAsync(Acme);
        await Expect(page.GetByTestId("company-name")).ToHaveTextAsync(Acme);
    }
}

using Jobkore.Tests.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>
/// A user disconnects Jobkore inside QuickBooks; QuickBooks opens Jobkore's Disconnect URL, which says the connection
/// ended, and the admin reconnects from there.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class QuickBooksDisconnectedFlowTests(BrowserFixture fixture)
{
    private const string Acme = "Acme Plumbing & Heating LLC";

    [Fact]
    public async Task DisconnectedInQuickBooks_TheDisconnectUrlSaysSo_AndTheAdminReconnectsFromIt()
    {
        await using var app = new QuickBooksApp();
        await app.ConnectAcmeAsync();
        app.Faults.RevokeGrantsNow(QuickBooksApp.AcmeRealm);
        var page = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Dana Rivera", admin: true, app.BusinessId));

        await page.GotoAsync("/integrations/quickbooks/disconnected");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "QuickBooks is disconnected", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText($"The connection to {Acme} has ended")).ToBeVisibleAsync();
        await page.ScreenshotAsync("quickbooks-disconnect-url");
        await page.GetByRole(AriaRole.Link, new() { Name = "Reconnect QuickBooks" }).ClickAsync();
        await page.AllowOnConsentPageAsync(Acme);
        await Expect(page.GetByTestId("company-name")).ToHaveTextAsync(Acme);
    }
}

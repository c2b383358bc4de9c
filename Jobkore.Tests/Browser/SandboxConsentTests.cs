using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>The built-in sandbox's consent page, as a person uses it in the app's own browser session.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SandboxConsentTests(BrowserFixture fixture)
{
    private string AuthorizeUrl(string state) =>
        $"/qbo-sandbox/connect/oauth2?client_id=jobkore-demo-client&response_type=code&scope=com.intuit.quickbooks.accounting%20openid"
        + $"&redirect_uri={Uri.EscapeDataString(new Uri(fixture.BaseAddress, "/integrations/quickbooks/callback").ToString())}&state={state}";

    [Fact]
    public async Task PickTheSecondCompanyAndConnect_GoesBackWithCodeStateAndRealm()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(AuthorizeUrl("browser-1"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Connect Jobkore to QuickBooks" })).ToBeVisibleAsync();
        await page.GetByLabel("Sandbox Company US 2").CheckAsync();
        await page.ScreenshotAsync("sandbox-consent");

        var callback = page.WaitForRequestAsync(r => r.Url.Contains("/integrations/quickbooks/callback", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
        var url = new Uri((await callback).Url);

        url.Query.ShouldContain("state=browser-1");
        url.Query.ShouldContain("realmId=9341452713218475");
        url.Query.ShouldContain("code=");
    }

    [Fact]
    public async Task Cancel_GoesBackWithAccessDenied()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(AuthorizeUrl("browser-2"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Connect Jobkore to QuickBooks" })).ToBeVisibleAsync();
        await page.AuditAccessibilityAsync("sandbox-consent-as-opened");

        var callback = page.WaitForRequestAsync(r => r.Url.Contains("/integrations/quickbooks/callback", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        var url = new Uri((await callback).Url);

        url.Query.ShouldBe("?error=access_denied&state=browser-2");
    }
}

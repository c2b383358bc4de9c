using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>Every page works under the Content-Security-Policy: live over its circuit, and the browser reports no violation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture fixture)
{
    private static readonly string[] s_pages =
    [
        "/invoices", "/invoices/1", "/invoices/1/edit", "/invoices/new", "/clients", "/clients/new", "/catalog", "/payments",
        "/settings/business", "/settings/integrations", "/settings/integrations/quickbooks", "/no-such-page",
    ];

    [Fact]
    public async Task EveryPage_RunsLiveUnderThePolicy_WithoutAViolation()
    {
        // The other browser tests bypass the policy for axe-core; this one needs the browser to enforce it.
        var page = await fixture.NewSignedInPageAsync(enforceContentSecurityPolicy: true);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{page.Url}: {message.Text}");
            }
        };
        await page.EvaluateAsync("() => document.addEventListener('securitypolicyviolation', e => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))");

        foreach (var path in s_pages)
        {
            await page.OpenAsync(path);
            await page.EvaluateAsync("() => document.addEventListener('securitypolicyviolation', e => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))");
            await Expect(page.Locator("[data-jk-interactive]")).ToBeAttachedAsync();
        }

        // A click that needs the circuit (the WebSocket to this origin) still works.
        await page.OpenAsync("/invoices");
        await page.GetByRole(AriaRole.Link, new() { Name = "INV-1060" }).ClickAsync();
        await page.WaitForPathAsync("/invoices/\\d+");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Invoice INV-1060" })).ToBeVisibleAsync();

        violations.ShouldBeEmpty();

        // The browser does enforce the policy here: a script injected without the nonce does not run.
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.jkInjected = true'; document.head.appendChild(s); }");
        (await page.EvaluateAsync<bool>("() => window.jkInjected === true")).ShouldBeFalse();
    }
}

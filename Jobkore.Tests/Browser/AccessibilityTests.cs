using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>
/// The screens and states no flow stops at with a screenshot, audited with axe-core (WCAG 2.1 A/AA) like the flows'
/// screens: every page of the menu as admin and as staff, the error, not-found and access-denied pages, and the invoice
/// editor's pickers open.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture)
{
    private static readonly string[] s_pages =
    [
        "/invoices", "/invoices/1", "/invoices/1/edit", "/invoices/new", "/clients", "/clients/1/edit", "/clients/new", "/catalog", "/payments",
        "/settings/business", "/settings/integrations", "/no-such-page",
    ];

    [Theory]
    [InlineData("Dana Rivera — admin", "admin")]
    [InlineData("Sam Chen — staff", "staff")]
    public async Task EveryPage_HasNoSeriousOrCriticalViolation(string demoUser, string role)
    {
        var page = await fixture.NewSignedInPageAsync(demoUser);

        foreach (var path in s_pages)
        {
            await page.OpenAsync(path);
            await Expect(page.GetByRole(AriaRole.Progressbar)).ToHaveCountAsync(0);
            await page.AuditAccessibilityAsync($"{role}, as opened");
        }
    }

    [Fact]
    public async Task ErrorAndAccessDeniedPages_HaveNoSeriousOrCriticalViolation()
    {
        var page = await fixture.NewSignedInPageAsync("Sam Chen — staff");

        await page.GotoAsync("/error");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Something went wrong" })).ToBeVisibleAsync();
        await page.AuditAccessibilityAsync("static error page");

        await page.OpenAsync("/account/access-denied");
        await Expect(page.GetByRole(AriaRole.Progressbar)).ToHaveCountAsync(0);
        await page.AuditAccessibilityAsync("staff");
    }

    [Fact]
    public async Task InvoiceEditor_WithItsPickersOpen_HasNoSeriousOrCriticalViolation()
    {
        var page = await fixture.NewSignedInPageAsync();
        await page.OpenAsync("/invoices/new");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New invoice" })).ToBeVisibleAsync();
        await page.AuditAccessibilityAsync("new, empty");

        await page.GetByRole(AriaRole.Button, new() { Name = "Choose the issue date" }).ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-picker-calendar-container")).ToBeVisibleAsync();
        await page.AuditAccessibilityAsync("issue date picker open");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator(".mud-popover-open .mud-picker-calendar-container")).ToHaveCountAsync(0);

        var client = page.GetByLabel("Client", new() { Exact = true });
        await client.FillAsync("o'b");
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(1);
        await page.AuditAccessibilityAsync("client list open");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save and mark sent" }).ClickAsync();
        await Expect(page.GetByText("Choose the client this invoice is for.")).ToBeVisibleAsync();
        await page.AuditAccessibilityAsync("validation messages");
    }
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SignInFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Anonymous_IsSentToTheDemoSignInAndBackToThePageAskedFor()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/payments");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Jobkore" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Demo sign-in.")).ToBeVisibleAsync();
        await page.ScreenshotAsync("sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sam Chen — staff" }).ClickAsync();
        await page.WaitForPathAsync("/payments");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Payments" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Staff_SeesBusinessSettingsReadOnlyAndCannotSave()
    {
        var page = await fixture.NewSignedInPageAsync("Sam Chen — staff");
        await Expect(page.GetByTestId("user-name")).ToHaveTextAsync("Sam Chen");
        await Expect(page.GetByTestId("user-role")).ToHaveTextAsync("Staff");

        await page.OpenAsync("/settings/business");

        await Expect(page.GetByTestId("read-only-hint")).ToContainTextAsync("only an admin of your business can change them");
        await Expect(page.GetByLabel("Business name")).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save settings" })).ToHaveCountAsync(0);
        await page.ScreenshotAsync("business-settings-staff");
    }

    [Fact]
    public async Task Admin_ChangesBusinessSettings_AndSignsOut()
    {
        var page = await fixture.NewSignedInPageAsync("Dana Rivera — admin");
        await Expect(page.GetByTestId("user-role")).ToHaveTextAsync("Admin");
        await page.OpenAsync("/settings/business");
        await Expect(page.GetByTestId("read-only-hint")).ToHaveCountAsync(0);

        await page.GetByLabel("Business name").FillAsync("Acme Plumbing & Heating Co.");
        await page.AuditAccessibilityAsync("business-settings-admin-editing");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.GetByText("Business settings saved.")).ToBeVisibleAsync();
        await page.ScreenshotAsync("business-settings-admin");
        await page.OpenAsync("/invoices");
        await Expect(page.GetByLabel("Business", new() { Exact = true })).ToHaveTextAsync("Acme Plumbing & Heating Co.");

        // Put the name back: the fixture's app is shared by the other browser tests.
        await page.OpenAsync("/settings/business");
        await page.GetByLabel("Business name").FillAsync("Acme Plumbing & Heating");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.GetByText("Business settings saved.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Jobkore" })).ToBeVisibleAsync();
        await page.AuditAccessibilityAsync("signed-out");
        await page.GotoAsync("/invoices");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Jobkore" })).ToBeVisibleAsync();
    }
}

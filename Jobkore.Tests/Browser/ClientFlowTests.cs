using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ClientFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task CreateClient_WithoutNameIsRefused_ThenSavedAndFoundBySearch()
    {
        var page = await fixture.NewSignedInPageAsync();
        await page.OpenAsync("/clients/new");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create client" }).ClickAsync();
        await Expect(page.GetByText("Display name is required.")).ToBeVisibleAsync();

        await page.GetByLabel("Display name").FillAsync("Núñez & O'Hara: Unit 2");
        await page.GetByLabel("Email").FillAsync("not-an-email");
        await page.GetByLabel("City").FillAsync("Springfield");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create client" }).ClickAsync();
        await Expect(page.GetByText("Enter an email address like name@example.com.")).ToBeVisibleAsync();
        await page.ScreenshotAsync("client-editor");
        await page.GetByLabel("Email").FillAsync("unit2@example.com");
        await page.GetByLabel("Email").PressAsync("Tab");
        await Expect(page.GetByText("Enter an email address like name@example.com.")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create client" }).ClickAsync();

        await Expect(page.GetByText("Client Núñez & O'Hara: Unit 2 created.")).ToBeVisibleAsync();
        await page.GetByLabel("Search by name, company, email or phone").FillAsync("o'hara");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Núñez & O'Hara: Unit 2" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("unit2@example.com");
        await Expect(row).ToContainTextAsync("Springfield");
        await page.AuditAccessibilityAsync("client-list-searched");

        // A search that matches nothing shows the empty state alone, with no column heads or pager; clearing brings them back.
        var search = page.GetByLabel("Search by name, company, email or phone");
        await search.FillAsync("zzz-nobody");
        await Expect(page.GetByText("No matching clients")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Columnheader)).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("page-range")).ToBeHiddenAsync();
        await search.FillAsync(string.Empty);
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Name" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("page-range")).ToBeVisibleAsync();
    }
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class CatalogFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task CreateItem_DuplicateNameIsRefused_ThenSavedAndListed()
    {
        var page = await fixture.NewSignedInPageAsync();
        await page.OpenAsync("/catalog");
        await page.ScreenshotAsync("catalog-list");

        await page.GetByRole(AriaRole.Button, new() { Name = "New item" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("drain cleaning");
        await dialog.GetByLabel("Unit price").FillAsync("99");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create item" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("The catalog already has an item named 'drain cleaning'. Item names must be unique.");

        await dialog.GetByLabel("Name").FillAsync("Water softener service");
        await dialog.GetByLabel("Description").FillAsync("Salt refill, resin check and settings review");
        await page.ScreenshotAsync("catalog-item-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create item" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await page.GetByLabel("Search by name or description").FillAsync("softener");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Water softener service" });
        await Expect(row).ToContainTextAsync("$99.00");
        await Expect(row).ToContainTextAsync("Active");
        await page.AuditAccessibilityAsync("catalog-list-searched");
    }
}

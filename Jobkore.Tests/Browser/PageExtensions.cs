using Microsoft.Playwright;

namespace Jobkore.Tests.Browser;

internal static class PageExtensions
{
    /// <summary>Opens a path and waits until the page is live over its circuit, so clicks are not lost to prerendering.</summary>
    public static async Task OpenAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.Locator("[data-jk-interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    }

    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        Directory.CreateDirectory(BrowserFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, name + ".png"), FullPage = true });
    }
}

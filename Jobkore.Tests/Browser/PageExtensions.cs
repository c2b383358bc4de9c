using Microsoft.Playwright;

namespace Jobkore.Tests.Browser;

internal static class PageExtensions
{
    /// <summary>Opens a path and waits until the page is live over its circuit, so clicks are not lost to prerendering.</summary>
    public static async Task OpenAsync(this IPage page, string path)
    {
        await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.WaitForInteractiveAsync();
    }

    /// <summary>
    /// Waits until the address ends with <paramref name="pathAndQuery"/> (a regular expression), then until the page is
    /// live. Not <c>WaitForURLAsync</c>: when the address already matches it waits for the <c>load</c> event whatever
    /// <c>WaitUntil</c> says (playwright-dotnet #3365), which hung under load.
    /// </summary>
    public static async Task WaitForPathAsync(this IPage page, string pathAndQuery)
    {
        await Microsoft.Playwright.Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(pathAndQuery + "$"));
        await page.WaitForInteractiveAsync();
    }

    /// <summary>Waits for the marker the layout renders only once the page is live over its circuit.</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("[data-jk-interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>
    /// On the built-in sandbox's consent page (Intuit's in production): picks <paramref name="company"/>, presses
    /// Connect and waits until Jobkore's callback has brought the browser back to Settings › Integrations connected.
    /// </summary>
    public static async Task AllowOnConsentPageAsync(this IPage page, string company)
    {
        await Microsoft.Playwright.Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Connect Jobkore to QuickBooks" })).ToBeVisibleAsync();
        await page.AuditAccessibilityAsync("sandbox-consent-as-opened");
        await page.GetByLabel(company).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        await page.WaitForPathAsync(@"/settings/integrations(\?quickbooks=connected)?");
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("connection-status")).ToHaveTextAsync("Connected");
    }

    /// <summary>
    /// The live badges of a list that overflow their box, or whose box is not the size of the others: each badge is a
    /// fixed box so that a new status lays out that box alone (app.css, <c>.jk-live-badge</c>), which holds only while
    /// every status, with its action, fits in it.
    /// </summary>
    public static Task<string[]> LiveBadgesOutOfTheirBoxAsync(this IPage page) =>
        page.Locator(".jk-live-badge").EvaluateAllAsync<string[]>("""
            boxes => {
                const size = b => { const r = b.getBoundingClientRect(); return `${r.width}x${r.height}`; };
                if (!boxes.length) return ['no live badge on the page'];
                const first = size(boxes[0]);
                return boxes.flatMap(b => {
                    const box = b.getBoundingClientRect();
                    const status = b.querySelector('[data-sync-status]')?.dataset.syncStatus ?? '(none)';
                    const over = [...b.querySelectorAll('*')].some(e => { const r = e.getBoundingClientRect();
                        return r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5); });
                    return [...(over ? [`${status} overflows its ${size(b)} box`] : []), ...(size(b) !== first ? [`${status} is ${size(b)}, not ${first}`] : [])];
                });
            }
            """);

    /// <summary>
    /// Saves a screenshot of the screen as the test left it, then audits its accessibility (axe-core, WCAG 2.1 A/AA),
    /// which fails the test on a serious or critical violation.
    /// </summary>
    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        await page.WaitForSettledAsync();
        Directory.CreateDirectory(BrowserFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, name + ".png"), FullPage = true });
        await page.AuditAccessibilityAsync(name);
    }
}

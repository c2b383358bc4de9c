using Microsoft.Playwright;

namespace Jobkore.Bench.Hosting;

/// <summary>
/// Debian's chromium on this machine, driven by Playwright and launched as the browser tests launch it
/// (Jobkore.Tests/Browser/BrowserFixture.cs). Each page gets a browser context of its own, as a person's own browser.
/// </summary>
internal sealed class BenchBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Generous: on a busy 2-core machine the app and dozens of pages share the cores.</summary>
    private const float TimeoutMs = 30_000;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BenchBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<BenchBrowser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The live row needs Debian's chromium at {ChromiumPath}. Install it: sudo apt-get install -y chromium (or run ./test.sh, which installs it).");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,

                // Without these, chromium keeps calling Google's hosts, which a closed network refuses.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return new BenchBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> of the app at <paramref name="baseAddress"/> in a new context, signed in by
    /// <paramref name="signInHeaders"/> on every request, and waits until the page is live over its circuit.
    /// </summary>
    public async Task<IPage> OpenAsync(Uri baseAddress, string path, IEnumerable<KeyValuePair<string, string>> signInHeaders)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, BaseURL = baseAddress.ToString(), ExtraHTTPHeaders = signInHeaders,
        });
        context.SetDefaultTimeout(TimeoutMs);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });

        // The layout renders this marker only once the circuit is live (Jobkore.Web/Components/Layout/MainLayout.razor).
        await page.Locator("[data-jk-interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

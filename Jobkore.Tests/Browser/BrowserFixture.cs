using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Jobkore.Tests.Browser;

/// <summary>
/// The real app on a real Kestrel port with a fresh SQLite file and the demo data, and Debian's chromium driven by
/// Playwright. One per test collection: starting the browser is the slow part.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private JobkoreAppFactory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public Uri BaseAddress { get; private set; } = default!;

    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Browser tests need Debian's chromium at {ChromiumPath}. Run ./test.sh, which installs it, or install it yourself: sudo apt-get install -y chromium");
        }

        _factory = new JobkoreAppFactory();
        _factory.UseKestrel(0);
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));

        // On a busy 2-core machine the default 5 s for an expectation is too tight; 15 s still fails fast on a real bug.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,

            // Without these, chromium keeps calling Google's hosts, which this closed network refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>
    /// A new page in its own browser context (its own cookies), at a desktop size, not signed in. The context bypasses
    /// the app's Content-Security-Policy so the accessibility audit can inject axe-core; a test of the policy itself
    /// passes <paramref name="enforceContentSecurityPolicy"/>.
    /// </summary>
    /// <param name="enforceContentSecurityPolicy">Whether the browser applies the policy (no axe-core audit then).</param>
    public async Task<IPage> NewPageAsync(bool enforceContentSecurityPolicy = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, BaseURL = BaseAddress.ToString(), BypassCSP = !enforceContentSecurityPolicy,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// A new page in its own browser context on another app (a <see cref="QuickBooksApp"/>), signed in by test headers
    /// sent with every request, the circuit's included. Like <see cref="NewPageAsync"/> it bypasses the policy for axe-core.
    /// </summary>
    public async Task<IPage> NewPageOnAsync(Uri baseAddress, IEnumerable<KeyValuePair<string, string>> signInHeaders)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, BaseURL = baseAddress.ToString(), ExtraHTTPHeaders = signInHeaders, BypassCSP = true,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>A new page signed in through the demo sign-in page, by pressing the button with the user's label.</summary>
    /// <param name="demoUserButton">The label of the demo user's button on the sign-in page.</param>
    /// <param name="enforceContentSecurityPolicy">Whether the browser applies the app's policy (see <see cref="NewPageAsync"/>).</param>
    public async Task<IPage> NewSignedInPageAsync(string demoUserButton = "Dana Rivera — admin", bool enforceContentSecurityPolicy = false)
    {
        var page = await NewPageAsync(enforceContentSecurityPolicy);
        await page.GotoAsync("/account/signin");
        await page.GetByRole(AriaRole.Button, new() { Name = demoUserButton }).ClickAsync();
        await page.WaitForPathAsync("/invoices");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await AccessibilityAudit.WriteTableAsync();
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

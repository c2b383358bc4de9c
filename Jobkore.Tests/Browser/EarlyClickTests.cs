using System.Text.RegularExpressions;
using Jobkore.Tests.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>
/// A click or a keystroke in the first moments after a page appears, while its circuit is still connecting: the page
/// says Connecting… and takes nothing it would lose, then does what was asked once it is live. The tests hold the
/// circuit back (its SignalR negotiate request) until they have looked at the prerendered page, so the window is
/// there however fast or slow the machine is.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class EarlyClickTests(BrowserFixture fixture)
{
    private const string FocusIt = "e => { e.focus(); return document.activeElement === e; }";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SyncNow_ClickedAsTheIntegrationsPageAppears_WaitsForTheCircuit_AndTheSyncRuns()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        await app.RenameTheClientThatClashesAsync();
        var invoicesBefore = QuickBooksApp.Rows(await app.SandboxAsync(), "Invoice").Count;
        var page = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Dana Rivera", admin: true, app.BusinessId));
        var circuit = await HoldCircuitAsync(page);

        await page.GotoAsync("/settings/integrations", new() { WaitUntil = WaitUntilState.Commit });
        var syncNow = page.GetByRole(AriaRole.Button, new() { Name = "Sync Now" });
        // Playwright's click waits until nothing covers the button's point: an inert button is skipped by the browser's
        // hit testing ("<div class=mud-main-content> intercepts pointer events"), so the click lands once the page is live.
        var click = syncNow.ClickAsync();

        await circuit.Held.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await Expect(Connecting(page)).ToBeVisibleAsync();
        await Expect(syncNow).ToBeVisibleAsync();
        (await syncNow.EvaluateAsync<bool>(FocusIt)).ShouldBeFalse("the button takes no focus before the circuit is up");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" })).ToBeDisabledAsync();
        await Expect(page.GetByTestId("waiting-count")).ToContainTextAsync("documents waiting");
        click.IsCompleted.ShouldBeFalse("the click waits for the circuit");
        await page.ScreenshotAsync("early-click-connecting");

        circuit.Release();
        await click;

        await Expect(Connecting(page)).ToHaveCountAsync(0);
        await Expect(page.GetByText(SyncedWithoutFailures())).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("waiting-count")).ToContainTextAsync("Everything is in QuickBooks");
        QuickBooksApp.Rows(await app.SandboxAsync(), "Invoice").Count.ShouldBeGreaterThan(invoicesBefore);
        (await QuickBooksOracle.MismatchesAsync(app, QuickBooksApp.AcmeRealm, Ct)).ShouldBeEmpty();
    }

    /// <summary>
    /// A person clicks into the search box and types. Before the circuit is up the box takes no focus, so no keystroke
    /// reaches a field whose text the circuit would then drop; Playwright's own <c>FillAsync</c> does not hit-test, and
    /// its text would go nowhere here, so the test clicks first, as a person would.
    /// </summary>
    [Fact]
    public async Task Search_TypedAsTheInvoiceListAppears_WaitsForTheCircuit_AndFiltersTheList()
    {
        var page = await fixture.NewSignedInPageAsync();
        var circuit = await HoldCircuitAsync(page);

        await page.GotoAsync("/invoices", new() { WaitUntil = WaitUntilState.Commit });
        var search = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search by number, client or memo" });
        var typing = ClickAndTypeAsync(page, search, "INV-1060");

        await circuit.Held.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await Expect(Connecting(page)).ToBeVisibleAsync();
        await Expect(search).ToBeVisibleAsync();
        (await search.EvaluateAsync<bool>(FocusIt)).ShouldBeFalse("the search box takes no focus before the circuit is up");
        typing.IsCompleted.ShouldBeFalse("the click into the box waits for the circuit");

        circuit.Release();
        await typing;

        await Expect(Connecting(page)).ToHaveCountAsync(0);
        await Expect(search).ToHaveValueAsync("INV-1060");
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("tbody tr")).ToContainTextAsync("INV-1060");
    }

    private static ILocator Connecting(IPage page) => page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connecting…" });

    private static async Task ClickAndTypeAsync(IPage page, ILocator field, string text)
    {
        await field.ClickAsync();
        await page.Keyboard.TypeAsync(text);
    }

    /// <summary>Holds the page's circuit back: its SignalR negotiate request waits until <see cref="HeldCircuit.Release"/>.</summary>
    private static async Task<HeldCircuit> HoldCircuitAsync(IPage page)
    {
        var circuit = new HeldCircuit();
        await page.RouteAsync(NegotiateRequest(), async route =>
        {
            circuit.Holding();
            await circuit.Released.WaitAsync(TimeSpan.FromSeconds(60));
            await route.ContinueAsync();
        });
        return circuit;
    }

    [GeneratedRegex("/_blazor/negotiate")]
    private static partial Regex NegotiateRequest();

    [GeneratedRegex(@"^Synced \d+ documents?\.$")]
    private static partial Regex SyncedWithoutFailures();

    private sealed class HeldCircuit
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the page asked for its circuit and is being held.</summary>
        public Task Held => _held.Task;

        public Task Released => _released.Task;

        public void Holding() => _held.TrySetResult();

        public void Release() => _released.TrySetResult();
    }
}

using System.Text.RegularExpressions;
using Jobkore.Core.Clients;
using Jobkore.Core.Data;
using Jobkore.Core.Invoices;
using Jobkore.QuickBooksSandbox.FaultInjection;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>
/// Two people of one business in two browsers: what one does (Sync Now, an edit, a retry) shows in the other's pages
/// live, over its circuit, without a reload; a third browser of another business sees none of it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LiveSyncStatusTests(BrowserFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Counts every change to a sync badge in the page from now on, to prove later that none arrived.</summary>
    private const string WatchBadges = """
        () => {
            window.__jkNoReload = true;
            window.__jkBadgeChanges = 0;
            new MutationObserver(ms => { for (const m of ms) { if ((m.target.closest && m.target.closest('[data-testid=sync-badge]')) || [...m.addedNodes].some(n => n.querySelector && n.querySelector('[data-testid=sync-badge]'))) window.__jkBadgeChanges++; } })
                .observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        }
        """;

    [Fact]
    public async Task SyncNowEditsAndRetries_ShowLiveInAnotherBrowserOfTheBusiness_AndNeverInAnotherBusinesss()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        await app.RenameTheClientThatClashesAsync();
        var other = await SeedAnotherConnectedBusinessAsync(app);

        // A (staff) watches the invoice list and the integration card; B (admin) works; C belongs to another business.
        var a = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Sam Chen", admin: false, app.BusinessId));
        await a.OpenAsync("/invoices");
        var aCard = await a.Context.NewPageAsync();
        await aCard.OpenAsync("/settings/integrations");
        var b = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Dana Rivera", admin: true, app.BusinessId));
        await b.OpenAsync("/settings/integrations");
        var c = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Olga Berg", admin: true, other));
        await c.OpenAsync("/invoices");
        var cCard = await c.Context.NewPageAsync();
        await cCard.OpenAsync("/settings/integrations");
        await Expect(c.Locator("[data-sync-status=NotSynced]")).ToHaveCountAsync(1);
        var cWaiting = await cCard.GetByTestId("waiting-count").TextContentAsync();
        foreach (var page in new[] { a, aCard, c, cCard })
        {
            await page.EvaluateAsync(WatchBadges);
        }

        await Expect(a.Locator("[data-sync-status=NotSynced]").First).ToBeVisibleAsync();
        await Expect(aCard.GetByTestId("waiting-count")).ToContainTextAsync("documents waiting");

        // B presses Sync Now (QuickBooks answers slowly, so the run can be watched): A's card shows its progress and
        // A's badges turn green as each batch commits; the count drops to nothing waiting.
        app.Faults.Configure(QuickBooksApp.AcmeRealm, new FaultSettings { LatencyMilliseconds = 400 });
        await b.GetByTestId("sync-now").ClickAsync();
        await Expect(aCard.GetByTestId("sync-progress")).ToContainTextAsync(SyncingNOfM());
        await Expect(aCard.GetByTestId("sync-now")).ToBeDisabledAsync();
        await aCard.ScreenshotAsync("quickbooks-card-mid-sync");
        (await a.LiveBadgesOutOfTheirBoxAsync()).ShouldBeEmpty("the badges mid-sync, Syncing… among them");
        await Expect(b.GetByText(SyncedDocuments())).ToBeVisibleAsync(new() { Timeout = 60_000 });
        app.Faults.Clear();

        var notDrafts = a.Locator("tbody tr").Filter(new() { HasNot = a.GetByText("Draft", new() { Exact = true }) });
        await Expect(notDrafts.Locator("[data-sync-status=UpToDate]")).ToHaveCountAsync(await notDrafts.CountAsync());
        await Expect(a.Locator("[data-sync-status=Failed]")).ToHaveCountAsync(0);
        await Expect(aCard.GetByTestId("waiting-count")).ToContainTextAsync("Everything is in QuickBooks");
        await Expect(aCard.GetByTestId("sync-now")).ToBeEnabledAsync();

        // B edits an invoice: A sees the yellow clock.
        var (id, number, itemId) = await SentInvoiceWithAnItemOnTheFirstPageAsync(app);
        await b.OpenAsync($"/invoices/{id}/edit");
        await b.GetByLabel("Memo").FillAsync("Back door code 4711; call before arriving.");
        await b.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await b.WaitForPathAsync($"/invoices/{id}");
        await Expect(RowOf(a, number).Locator("[data-sync-status=Edited]")).ToBeVisibleAsync();
        await Expect(aCard.GetByTestId("waiting-count")).ToContainTextAsync("1 document waiting");

        // The bookkeeper made a product on the invoice inactive in QuickBooks, so QuickBooks refuses B's Re-sync: A sees
        // the red X, with the message in its label and tooltip.
        await app.SetItemActiveInQuickBooksAsync(itemId, active: false);
        await b.GetByRole(AriaRole.Button, new() { Name = "Re-sync to QuickBooks" }).ClickAsync();
        var failed = RowOf(a, number).Locator("[data-sync-status=Failed]");
        await Expect(failed).ToBeVisibleAsync();
        await Expect(failed.Locator("[aria-label^='QuickBooks: Sync failed']")).ToHaveAttributeAsync("aria-label", new Regex("inactive or missing in QuickBooks"));
        await failed.Locator(".mud-chip").HoverAsync();
        await Expect(a.Locator(".mud-popover-open.mud-tooltip")).ToContainTextAsync(new Regex("^Sync failed: .*inactive or missing in QuickBooks"));
        await a.Mouse.MoveAsync(0, 0);
        await RowOf(a, number).GetByRole(AriaRole.Button, new() { Name = "Retry sending to QuickBooks" }).FocusAsync();
        await Expect(a.Locator(".mud-popover-open.mud-tooltip")).ToHaveTextAsync("Retry");
        await Expect(aCard.GetByTestId("waiting-count")).ToContainTextAsync("1 failed");

        // Another invoice edited elsewhere, for a list with every status at once.
        await app.EditMemoAsync(await SecondUpToDateAsync(a, number), "Edited in another window.");
        await Expect(a.Locator("[data-sync-status=Edited]")).ToHaveCountAsync(1);
        await a.ScreenshotAsync("invoices-live-all-badge-states");
        (await a.LiveBadgesOutOfTheirBoxAsync()).ShouldBeEmpty();

        // Fixed in QuickBooks; A presses Retry in the list: green, on A's page and on B's invoice page.
        await app.SetItemActiveInQuickBooksAsync(itemId, active: true);
        await RowOf(a, number).GetByRole(AriaRole.Button, new() { Name = "Retry sending to QuickBooks" }).ClickAsync();
        await Expect(RowOf(a, number).Locator("[data-sync-status=UpToDate]")).ToBeVisibleAsync();

        // The badge shows its new status at once: a colour fade repaints every open page for 300 ms (Jobkore.Bench --only live).
        var fading = await RowOf(a, number).Locator("[data-testid=sync-badge], [data-testid=sync-badge] *").EvaluateAllAsync<string[]>(
            "els => els.filter(e => getComputedStyle(e).transitionDuration.split(',').some(d => parseFloat(d) > 0)).map(e => e.getAttribute('class') ?? e.tagName)");
        fading.ShouldBeEmpty();
        await Expect(b.GetByTestId("sync-panel").Locator("[data-sync-status=UpToDate]")).ToBeVisibleAsync();
        await Expect(b.GetByTestId("sync-history")).ToContainTextAsync("Update failed · code 2500");
        await Expect(b.GetByTestId("sync-history")).ToContainTextAsync("Updated in QuickBooks");
        await b.ScreenshotAsync("invoice-sync-panel");

        // Nobody reloaded; the other business's pages never changed.
        (await a.EvaluateAsync<bool>("() => window.__jkNoReload === true")).ShouldBeTrue();
        (await aCard.EvaluateAsync<bool>("() => window.__jkNoReload === true")).ShouldBeTrue();
        (await a.EvaluateAsync<int>("() => window.__jkBadgeChanges")).ShouldBeGreaterThan(0, "the watcher must see changes where they happen");

        foreach (var page in new[] { c, cCard })
        {
            (await page.EvaluateAsync<bool>("() => window.__jkNoReload === true")).ShouldBeTrue();
            (await page.EvaluateAsync<int>("() => window.__jkBadgeChanges")).ShouldBe(0);
        }

        await Expect(c.Locator("[data-sync-status=NotSynced]")).ToHaveCountAsync(1);
        await Expect(cCard.GetByTestId("waiting-count")).ToHaveTextAsync(cWaiting!);
        await Expect(cCard.GetByTestId("sync-progress")).ToHaveCountAsync(0);
    }

    private static ILocator RowOf(IPage page, string number) =>
        page.Locator("tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = number, Exact = true }) });

    private static async Task<int> SecondUpToDateAsync(IPage page, string notThisNumber)
    {
        var link = page.Locator("tbody tr").Filter(new() { Has = page.Locator("[data-sync-status=UpToDate]") })
            .Filter(new() { HasNot = page.GetByRole(AriaRole.Link, new() { Name = notThisNumber, Exact = true }) }).First.Locator("a.jk-link");
        return int.Parse((await link.GetAttributeAsync("href"))!.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Another business with one sent invoice, connected to the sandbox's second company; returns its id.</summary>
    private static async Task<int> SeedAnotherConnectedBusinessAsync(QuickBooksApp app)
    {
        var other = await app.AddBusinessAsync("Northwind Electric");
        await using (var scope = app.SignedInScope("Olga Berg", admin: true, businessId: other))
        {
            var client = await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(Drafts.Client("Harbor Cafe"), Ct);
            await scope.ServiceProvider.GetRequiredService<InvoiceService>().CreateAsync(Drafts.Invoice(client, "NW-1", 0m, Drafts.Line(2, 95m)), markSent: true, Ct);
        }

        using var http = app.Client("Olga Berg", admin: true, businessId: other);
        (await QuickBooksApp.ConnectAsync(http, QuickBooksApp.SecondRealm)).ShouldBe("/settings/integrations?quickbooks=connected");
        return other;
    }

    /// <summary>A sent invoice among the 25 newest (the list's first page) with a catalog item on it: id, number, item id.</summary>
    private static async Task<(int Id, string Number, int ItemId)> SentInvoiceWithAnItemOnTheFirstPageAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var firstPage = await db.Invoices.OrderByDescending(i => i.IssueDate).ThenByDescending(i => i.Id).Take(25)
            .Select(i => new { i.Id, i.Number, i.Status, ItemId = i.Lines.Where(l => l.CatalogItemId != null).Select(l => l.CatalogItemId).FirstOrDefault() })
            .ToListAsync(Ct);
        var invoice = firstPage.First(i => i.Status == Jobkore.Core.Domain.InvoiceStatus.Sent && i.ItemId != null);
        return (invoice.Id, invoice.Number, invoice.ItemId!.Value);
    }

    [GeneratedRegex(@"Syncing [1-9]\d* of \d+")]
    private static partial Regex SyncingNOfM();

    [GeneratedRegex(@"^Synced \d+ documents\.$")]
    private static partial Regex SyncedDocuments();
}

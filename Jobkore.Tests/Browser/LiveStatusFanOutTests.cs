using System.Text.Json;
using Jobkore.Core.Data;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>
/// Every committed status change reaches the badge in the DOM of each of 20 open invoice lists, a change at a time.
/// How long it takes is the bench's to measure (<c>Jobkore.Bench -- --only live</c>), not this test's.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveStatusFanOutTests(BrowserFixture fixture)
{
    private const int OpenPages = 20;
    private const int Changes = 100;

    /// <summary>Spaced further apart than the pages' quiet interval, so each change reaches the pages on its own, not folded into a burst.</summary>
    private static readonly TimeSpan s_spacing = TimeSpan.FromMilliseconds(300);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Records, with the wall clock, every badge that shows a new status, by invoice id.</summary>
    private const string RecordBadges = """
        () => {
            window.__jkSeen = [];
            const current = new Map();
            const scan = () => {
                const now = Date.now();
                for (const row of document.querySelectorAll('tbody tr')) {
                    const link = row.querySelector('a.jk-link');
                    const badge = row.querySelector('[data-testid=sync-badge]');
                    if (!link || !badge) continue;
                    const id = link.getAttribute('href').split('/').pop();
                    const status = badge.getAttribute('data-sync-status');
                    if (current.get(id) !== status) { current.set(id, status); window.__jkSeen.push({ id: Number(id), status, at: now }); }
                }
            };
            scan();
            new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true });
        }
        """;

    [Fact]
    public async Task CommittedStatusChanges_With20OpenInvoiceLists_ReachEveryPage()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        var pages = new List<IPage>();
        for (var i = 0; i < OpenPages; i++)
        {
            var page = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders($"Viewer {i}", admin: false, app.BusinessId));
            await page.OpenAsync("/invoices");
            await Expect(page.Locator("[data-sync-status]").First).ToBeVisibleAsync();
            await page.EvaluateAsync(RecordBadges);
            pages.Add(page);
        }

        var invoiceIds = await FirstPageInvoiceIdsAsync(app);
        var commits = new List<(int InvoiceId, string Status, long At)>();
        for (var n = 0; n < Changes; n++)
        {
            var invoiceId = invoiceIds[n % invoiceIds.Count];
            var fail = n / invoiceIds.Count % 2 == 0;
            commits.Add((invoiceId, fail ? "Failed" : "UpToDate", await CommitStatusAsync(app, invoiceId, fail, n)));
            await Task.Delay(s_spacing, Ct);
        }

        var missed = new List<string>();
        for (var p = 0; p < pages.Count; p++)
        {
            var seen = await SeenAsync(pages[p], commits);
            missed.AddRange(commits.Select((c, n) => (c, n)).Where(x => !seen.Any(s => Arrived(s, x.c)))
                .Select(x => $"change {x.n} (invoice {x.c.InvoiceId} → {x.c.Status}) on page {p + 1} of {pages.Count}"));
        }

        missed.ShouldBeEmpty("every open invoice list shows every committed status change");
    }

    private static async Task<List<int>> FirstPageInvoiceIdsAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        return await db.Invoices.OrderByDescending(i => i.IssueDate).ThenByDescending(i => i.Id).Take(25).Select(i => i.Id).ToListAsync(Ct);
    }

    /// <summary>Commits a status change as the engine does (its sync record saved); returns the wall-clock ms just before the commit.</summary>
    private static async Task<long> CommitStatusAsync(QuickBooksApp app, int invoiceId, bool fail, int n)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var record = await db.SyncRecords.SingleOrDefaultAsync(r => r.RealmId == QuickBooksApp.AcmeRealm && r.EntityType == SyncEntityType.Invoice && r.EntityId == invoiceId, Ct);
        if (record is null)
        {
            record = new SyncRecord(app.BusinessId, QuickBooksApp.AcmeRealm, SyncEntityType.Invoice, invoiceId);
            db.SyncRecords.Add(record);
        }

        var now = TimeProvider.System.GetUtcNow();
        if (fail)
        {
            record.FailedWith($"Measured change {n}: QuickBooks refused the invoice.", "6000", null, now);
        }
        else
        {
            var hash = await db.Invoices.Where(i => i.Id == invoiceId).Select(i => EF.Property<string>(i, SyncHashProperty.Name)).SingleAsync(Ct);
            record.Succeeded($"m{invoiceId}", "0", hash, now);
        }

        var before = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(Ct);
        return before;
    }

    private sealed record Seen(int Id, string Status, long At);

    /// <summary>What a page saw, once every committed change has arrived there (or 60 s passed).</summary>
    private static async Task<List<Seen>> SeenAsync(IPage page, List<(int InvoiceId, string Status, long At)> commits)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var json = await page.EvaluateAsync<JsonElement>("() => window.__jkSeen");
            var seen = json.EnumerateArray().Select(e => new Seen(e.GetProperty("id").GetInt32(), e.GetProperty("status").GetString()!, (long)e.GetProperty("at").GetDouble())).ToList();
            if (commits.All(c => seen.Any(s => Arrived(s, c))) || watch.Elapsed > TimeSpan.FromSeconds(60))
            {
                return seen;
            }

            await Task.Delay(200, Ct);
        }
    }

    /// <summary>The page showed the committed status of that invoice at or after the commit (the clocks are the same machine's; 5 ms of slack for rounding).</summary>
    private static bool Arrived(Seen seen, (int InvoiceId, string Status, long At) commit) =>
        seen.Id == commit.InvoiceId && seen.Status == commit.Status && seen.At >= commit.At - 5;
}

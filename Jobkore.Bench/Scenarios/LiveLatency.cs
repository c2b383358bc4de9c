using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Jobkore.Bench.Hosting;
using Jobkore.Core.Common;
using Jobkore.Core.Data;
using Jobkore.Core.Invoices;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Jobkore.Bench.Scenarios;

/// <summary>
/// How long a committed status change takes to reach the badge in the DOM of each of N open invoice lists (one browser
/// context each, Debian chromium on this machine), and how many database commands the open pages run for each change.
/// A change is committed as the engine commits one, its sync record saved; the app's save interceptor tells the
/// notifier, and every open list reloads.
/// </summary>
internal static class LiveLatency
{
    /// <summary>
    /// The two rows: open pages, and changes committed while they watch. Fifty pages see fifty changes (each invoice of
    /// the first page goes Failed and back), as a hundred took the row well past two minutes on a busy 2-core machine.
    /// </summary>
    public static readonly IReadOnlyList<(int Pages, int Changes)> Rows = [(20, 100), (50, 50)];

    /// <summary>Spaced further apart than the pages' quiet interval (250 ms), so each change is measured on its own, not folded into a burst.</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(300);

    /// <summary>With the pages open and nothing changing: what the app runs meanwhile (the worker's looks) is counted, to take it out of the pages'.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromSeconds(6);

    private static readonly Workload s_workload = new("60 invoices", Invoices: 60, Clients: 10, Items: 5, Payments: 0);

    /// <summary>After the last change has reached every page: longer than the quiet interval, so a reload still going on is counted.</summary>
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan s_arrivalTimeout = TimeSpan.FromSeconds(60);

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

    public static async Task<LiveResult> RunAsync(int pageCount, int changes, CancellationToken cancellationToken)
    {
        using var commands = new DatabaseCommands();
        await using var app = await BenchApp.StartConnectedAsync(BenchSettings.For(limits: false, batchSize: 30, timeScale: 1), cancellationToken);
        await DataGenerator.GenerateAsync(app.Services, app.Business, s_workload, "Live", cancellationToken);
        await using var scope = app.Services.GetRequiredService<IBusinessScopeFactory>().CreateScope(app.Business);
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>();
        await MarkSyncedAsync(factory, cancellationToken);
        await scope.ServiceProvider.GetRequiredService<SyncStatuses>().RederivePendingAsync(cancellationToken); // the sync records were written in SQL
        var firstPage = await scope.ServiceProvider.GetRequiredService<InvoiceService>().ListAsync(new PageRequest(0, 25), new InvoiceListFilter(), cancellationToken);
        int[] invoiceIds = [.. firstPage.Items.Select(i => i.Id)];

        await using var browser = await BenchBrowser.LaunchAsync();
        var pages = await OpenListsAsync(browser, app, pageCount);

        var idleFrom = commands.App;
        await Task.Delay(Idle, cancellationToken);
        var idleCommands = commands.App - idleFrom;

        // The app's own part: when a listener of the business (as each open page's is) is handed each change.
        var handed = new System.Collections.Concurrent.ConcurrentQueue<(int InvoiceId, long At)>();
        using var probe = app.Services.GetRequiredService<SyncNotifier>().Subscribe(app.Business.Id, e =>
        {
            var at = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var change in (e as SyncStatusChanged)?.Changes ?? [])
            {
                handed.Enqueue((change.EntityId, at));
            }

            return Task.CompletedTask;
        });
        var window = Stopwatch.StartNew();
        var (appFrom, benchFrom) = (commands.App, commands.Bench);
        var cpuFrom = MachineCpu.Read();
        var commits = new List<Commit>();
        for (var n = 0; n < changes; n++)
        {
            // Each of the first page's invoices goes Failed, then back Up to date, and so on.
            var fail = n / invoiceIds.Length % 2 == 0;
            commits.Add(await CommitAsync(factory, commands, invoiceIds[n % invoiceIds.Length], fail, n, cancellationToken));
            await Task.Delay(Spacing, cancellationToken);
        }

        var committed = window.Elapsed;
        var cpu = cpuFrom is null ? null : MachineCpu.Read()?.Since(cpuFrom);
        var handedAfter = commits.Select(c => handed.Where(h => h.InvoiceId == c.InvoiceId && h.At >= c.At - 5).Select(h => Math.Max(0, h.At - c.At)).DefaultIfEmpty(long.MaxValue).Min()).ToList();
        var (latencies, slowestPagePerChange) = await LatenciesAsync(pages, commits, cancellationToken);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {changes} changes committed in {committed.TotalSeconds:0.0} s; every page had seen every change {(window.Elapsed - committed).TotalSeconds:0.0} s later"));
        await Task.Delay(s_settle, cancellationToken);
        var seconds = window.Elapsed.TotalSeconds;
        var background = (long)Math.Round(idleCommands / Idle.TotalSeconds * seconds);
        var pageCommands = Math.Max(0, commands.App - appFrom - background);
        return new LiveResult(pageCount, changes, latencies.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.95), latencies.Max(),
            Percentile(slowestPagePerChange, 0.95), pageCommands, commands.Bench - benchFrom, background, seconds, Percentile(handedAfter, 0.50), Percentile(handedAfter, 0.95), cpu);
    }

    /// <summary>Opens the invoice list <paramref name="count"/> times, each in a context of its own, and starts recording its badges once it shows them.</summary>
    private static async Task<List<IPage>> OpenListsAsync(BenchBrowser browser, BenchApp app, int count)
    {
        var opening = Stopwatch.StartNew();
        var pages = new List<IPage>();
        for (var i = 0; i < count; i++)
        {
            var page = await browser.OpenAsync(app.BaseAddress, "/invoices", BenchAuthHandler.Headers($"Viewer {i + 1}", app.Business.Id));
            await page.Locator("[data-sync-status]").First.WaitForAsync();
            await page.EvaluateAsync(RecordBadges);
            pages.Add(page);
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {count} invoice lists open and live in {opening.Elapsed.TotalSeconds:0.0} s"));
        return pages;
    }

    /// <summary>
    /// Each change's latency on each page (commit → badge), and each change's on its slowest page, once every page has
    /// seen every change; a change a page has not shown within a minute of the last commit fails the row.
    /// </summary>
    private static async Task<(List<long> Latencies, long[] SlowestPagePerChange)> LatenciesAsync(List<IPage> pages, List<Commit> commits, CancellationToken cancellationToken)
    {
        var latencies = new List<long>();
        var slowestPagePerChange = new long[commits.Count];
        var deadline = Stopwatch.StartNew();
        for (var p = 0; p < pages.Count; p++)
        {
            var seen = await SeenAsync(pages[p], commits, s_arrivalTimeout - deadline.Elapsed, cancellationToken);
            for (var n = 0; n < commits.Count; n++)
            {
                var commit = commits[n];
                var arrival = seen.FirstOrDefault(s => Arrived(s, commit))
                    ?? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"Change {n} (invoice {commit.InvoiceId} → {commit.Status}) never reached open page {p + 1} of {pages.Count} within {s_arrivalTimeout.TotalSeconds:0} s of the last change."));
                var latency = Math.Max(0, arrival.At - commit.At);
                latencies.Add(latency);
                slowestPagePerChange[n] = Math.Max(slowestPagePerChange[n], latency);
            }
        }

        return (latencies, slowestPagePerChange);
    }

    /// <summary>Every invoice pushed with its current content, so each shows Up to date (rows written in SQL).</summary>
    private static async Task MarkSyncedAsync(IDbContextFactory<JobkoreDbContext> factory, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO SyncRecords (BusinessId, RealmId, EntityType, EntityId, QboId, QboSyncToken, PushedHash, LastSyncedAt, LastAttemptAt, Failed, Attempts)
            SELECT BusinessId, {BenchApp.Realm}, {(int)SyncEntityType.Invoice}, Id, CAST(Id AS TEXT), '0', SyncHash, 0, 0, 0, 1 FROM Invoices
            """, cancellationToken);
    }

    private sealed record Commit(int InvoiceId, string Status, long At);

    private sealed record Seen(int Id, string Status, long At);

    /// <summary>
    /// Commits a status change as the engine does, its sync record saved on a context counted as the bench's own; returns
    /// the wall-clock ms just before the commit.
    /// </summary>
    private static async Task<Commit> CommitAsync(IDbContextFactory<JobkoreDbContext> factory, DatabaseCommands commands, int invoiceId, bool fail, int n, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        using var own = commands.CountAsBench(db);
        var record = await db.SyncRecords.SingleAsync(r => r.RealmId == BenchApp.Realm && r.EntityType == SyncEntityType.Invoice && r.EntityId == invoiceId, cancellationToken);
        var now = TimeProvider.System.GetUtcNow();
        if (fail)
        {
            record.FailedWith($"Measured change {n}: QuickBooks refused the invoice.", "6000", null, now);
        }
        else
        {
            // The invoice is unchanged since it was marked synced: the pushed hash is still its content's.
            record.Succeeded(record.QboId!, record.QboSyncToken!, record.PushedHash!, now);
        }

        var before = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(cancellationToken);
        return new Commit(invoiceId, fail ? nameof(SyncStatus.Failed) : nameof(SyncStatus.UpToDate), before);
    }

    /// <summary>What a page saw, once every committed change has arrived there (or <paramref name="timeout"/> passed).</summary>
    private static async Task<List<Seen>> SeenAsync(IPage page, List<Commit> commits, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var json = await page.EvaluateAsync<JsonElement>("() => window.__jkSeen");
            var seen = json.EnumerateArray().Select(e => new Seen(e.GetProperty("id").GetInt32(), e.GetProperty("status").GetString()!, (long)e.GetProperty("at").GetDouble())).ToList();
            if (commits.All(c => seen.Any(s => Arrived(s, c))) || watch.Elapsed > timeout)
            {
                return seen;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>The page showed the committed status of that invoice at or after the commit (the clocks are the same machine's; 5 ms of slack for rounding).</summary>
    private static bool Arrived(Seen seen, Commit commit) => seen.Id == commit.InvoiceId && seen.Status == commit.Status && seen.At >= commit.At - 5;

    /// <summary>The nearest-rank percentile.</summary>
    private static long Percentile(IEnumerable<long> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

using System.Globalization;
using System.Text;
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
/// A measurement, not a timing assertion: how long a committed status change takes to reach the badge in the DOM of
/// each of 20 open invoice lists. It prints p50/p95 (and writes artifacts/live-latency.md); it asserts only that every
/// page saw every change.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveLatencyMeasurement(BrowserFixture fixture)
{
    private const int OpenPages = 20;
    private const int Changes = 100;

    /// <summary>Spaced further apart than the pages' quiet interval, so each change is measured on its own, not folded into a burst.</summary>
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
    public async Task CommitToBadge_With20OpenInvoiceLists_PrintsP50AndP95()
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

        var latencies = new List<long>();
        var slowestPagePerChange = new long[Changes];
        foreach (var page in pages)
        {
            var seen = await SeenAsync(page, commits);
            for (var n = 0; n < Changes; n++)
            {
                var (invoiceId, status, at) = commits[n];
                var arrival = seen.FirstOrDefault(s => Arrived(s, commits[n]));
                arrival.ShouldNotBeNull($"change {n} (invoice {invoiceId} → {status}) never reached a page");
                var latency = Math.Max(0, arrival.At - at);
                latencies.Add(latency);
                slowestPagePerChange[n] = Math.Max(slowestPagePerChange[n], latency);
            }
        }

        var report = Report(latencies, slowestPagePerChange);
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "artifacts"));
        await File.WriteAllTextAsync(Path.Combine(RepositoryPaths.Root, "artifacts", "live-latency.md"), report, Ct);
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

    private static string Report(List<long> latencies, long[] slowestPagePerChange)
    {
        static long Percentile(IEnumerable<long> values, double p)
        {
            var sorted = values.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        }

        var text = new StringBuilder();
        text.AppendLine("# Live status latency: commit → badge in the DOM");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Changes} committed status changes, {s_spacing.TotalMilliseconds:0} ms apart, each watched by {OpenPages} open invoice lists (one browser context each, Debian chromium, same machine as the app).");
        text.AppendLine();
        text.AppendLine("| measured | samples | p50 ms | p95 ms | max ms |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| every page, every change | {latencies.Count} | {Percentile(latencies, 0.50)} | {Percentile(latencies, 0.95)} | {latencies.Max()} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| slowest of the {OpenPages} pages, per change | {slowestPagePerChange.Length} | {Percentile(slowestPagePerChange, 0.50)} | {Percentile(slowestPagePerChange, 0.95)} | {slowestPagePerChange.Max()} |");
        return text.ToString();
    }
}

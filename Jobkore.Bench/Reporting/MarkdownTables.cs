using System.Globalization;
using System.Text;
using Jobkore.Bench.Hosting;
using Jobkore.Bench.Scenarios;
using Jobkore.Core.Data;

namespace Jobkore.Bench.Reporting;

/// <summary>The bench's markdown tables: throughput per scenario, database and mode, the big-list timings, a long history's first sync, head of line, many companies and live status.</summary>
internal static class MarkdownTables
{
    public static string Throughput(IReadOnlyList<RowResult> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| Scenario | Database | Mode | Documents | Wall time | Documents/s | QBO requests / document | Reads / document (metered) | Writes / document | 429s received | Ceiling achieved | Peak working set | vs baseline |");
        text.AppendLine("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var row in rows)
        {
            var perSecond = row.Documents / row.Seconds;
            text.AppendLine(Invariant($"| {row.Scenario} | {row.Database} | {Mode(row)} | {row.Documents:N0} | {row.Seconds:0.00} s | {perSecond:N0} | {(double)row.EngineRequests / row.Documents:0.000} | {(double)row.WireReads / row.Documents:0.000} | {(double)(row.WireRequests - row.WireReads) / row.Documents:0.000} | {row.Throttled} | {Ceiling(row)} | {row.PeakWorkingSet / 1024.0 / 1024.0:N0} MB | {VsBaseline(row, Baseline(rows, row))} |"));
        }

        return text.ToString();
    }

    public static string Lists(ListResult result) =>
        new StringBuilder()
            .AppendLine(Invariant($"| With {result.Invoices:N0} invoices ({result.PendingCount:N0} documents waiting) | First call | Median of 9 after it |"))
            .AppendLine("|---|--:|--:|")
            .AppendLine(Invariant($"| Waiting count (`SyncStatuses.PendingCountAsync`) | {result.PendingFirstMs:0.0} ms | {result.PendingMs:0.0} ms |"))
            .AppendLine(Invariant($"| First page of the invoice list, 25 rows with their sync badges (`InvoiceService.ListAsync` + `SyncStatuses.ViewsForInvoicesAsync`) | {result.PageFirstMs:0.0} ms | {result.PageMs:0.0} ms |"))
            .ToString();

    public static string LongHistory(RowResult row, Workload workload) =>
        new StringBuilder()
            .AppendLine("| First sync of a long history (no limits, batches of 30) | Documents | Wall time | Documents/s | QBO requests / document | 429s received | Peak working set |")
            .AppendLine("|---|--:|--:|--:|--:|--:|--:|")
            .AppendLine(Invariant($"| {workload.Invoices:N0} invoices, {workload.Clients:N0} clients, {workload.Items:N0} items, {workload.Payments:N0} payments | {row.Documents:N0} | {row.Seconds:0.00} s | {row.Documents / row.Seconds:N0} | {(double)row.EngineRequests / row.Documents:0.000} | {row.Throttled} | {row.PeakWorkingSet / 1024.0 / 1024.0:N0} MB |"))
            .ToString();

    public static string HeadOfLine(HeadOfLineResult result) =>
        new StringBuilder()
            .AppendLine(Invariant($"| Business B while business A's backlog of {result.ADocuments:N0} runs (Intuit's limits, ×{result.TimeScale:0.##} time) | Median of {result.ResyncMs.Length} | Max of {result.ResyncMs.Length} | A's run | A's run still going when B's last answer came |"))
            .AppendLine("|---|--:|--:|--:|--:|")
            .AppendLine(Invariant($"| Re-sync of one edited invoice, from the request to Up to date | {result.MedianMs:N0} ms | {result.MaxMs:N0} ms | {result.ASeconds:0.0} s | {(result.AStillRunning ? "yes" : "**no**: B's figures include waiting for A's run")} ({result.BStartSeconds:0.0}–{result.BDoneSeconds:0.0} s into it) |"))
            .ToString();

    public static string ManyCompanies(ManyCompaniesResult result) =>
        new StringBuilder()
            .AppendLine("| Companies at once (Intuit's limits, real time) | Documents | Wall time | Documents a minute | Of the companies' ceilings | Lowest company, of its own ceiling | First company done | 429s received | Peak working set |")
            .AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
            .AppendLine(Invariant($"| {result.Companies} × {result.DocumentsEach:N0} documents | {result.Documents:N0} | {result.Seconds:0.0} s | {result.DocumentsPerMinute:N0} | {result.DocumentsPerMinute / (result.Companies * result.CeilingPerMinute):P0} of {result.Companies} × {result.CeilingPerMinute:N0} | {result.LowestFraction:P0} of {result.CeilingPerMinute:N0}/min | {result.FirstSeconds:0.0} s | {result.Throttled} | {result.PeakWorkingSet / 1024.0 / 1024.0:N0} MB |"))
            .ToString();

    public static string Live(IReadOnlyList<LiveResult> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| Live status, commit → badge in the DOM | Open pages | Changes | Samples | p50 | p95 | Max | p95 of the slowest page per change | App's part: commit → handed to the pages, p50 / p95 | App queries per change, all pages | Queries per change per page | CPU per change: app / pages' renderers / rest of the browser | Cores busy (taken by the host) |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var row in rows)
        {
            text.AppendLine(Invariant($"| {row.Pages} open invoice lists | {row.Pages} | {row.Changes} | {row.Samples:N0} | {row.P50Ms:N0} ms | {row.P95Ms:N0} ms | {row.MaxMs:N0} ms | {row.SlowestPageP95Ms:N0} ms | {row.HandedP50Ms:N0} / {row.HandedP95Ms:N0} ms | {(double)row.PageCommands / row.Changes:0.0} | {(double)row.PageCommands / (row.Changes * row.Pages):0.0} | {CpuPerChange(row)} | {CoresBusy(row)} |"));
        }

        return text.ToString();
    }

    private static string CpuPerChange(LiveResult row) => row.Cpu is { } cpu
        ? Invariant($"{cpu.AppMs / row.Changes:N0} / {cpu.RenderersMs / row.Changes:N0} / {cpu.RestOfBrowserMs / row.Changes:N0} ms")
        : "n/a";

    private static string CoresBusy(LiveResult row)
    {
        if (row.Cpu is not { } cpu)
        {
            return "n/a";
        }

        var (busy, stolen) = cpu.OfCores(Environment.ProcessorCount);
        return Invariant($"{busy * 100:0}% ({stolen * 100:0}%)");
    }

    private static string Mode(RowResult row) =>
        (row.Limits ? Invariant($"Intuit's limits, ×{row.TimeScale:0.##} time") : "no limits")
        + (row.BatchSize == 1 ? ", 1 request per record (baseline)" : Invariant($", batches of {row.BatchSize}"));

    /// <summary>Documents per minute of sandbox time over what the configured limits permit at most a minute.</summary>
    private static string Ceiling(RowResult row)
    {
        if (!row.Limits)
        {
            return "—";
        }

        var sandboxMinutes = row.Seconds * row.TimeScale / 60;
        return Invariant($"{row.Documents / sandboxMinutes / row.CeilingPerMinute:P0} of {row.CeilingPerMinute:N0}/min");
    }

    /// <summary>
    /// The same scenario and mode sent one request per record, on the row's own database if it has that row, else on
    /// SQLite's (the PostgreSQL rows have no baseline of their own); null when neither ran.
    /// </summary>
    private static RowResult? Baseline(IReadOnlyList<RowResult> rows, RowResult row)
    {
        var candidates = rows.Where(r => r.Scenario == row.Scenario && r.Limits == row.Limits && r.BatchSize == 1).ToList();
        return candidates.FirstOrDefault(r => r.Database == row.Database) ?? candidates.FirstOrDefault(r => r.Database == BenchDatabase.DisplayName(DatabaseProvider.Sqlite));
    }

    private static string VsBaseline(RowResult row, RowResult? baseline) =>
        row.BatchSize == 1 ? "1×"
        : baseline is null ? "—"
        : Invariant($"{baseline.Seconds / row.Seconds * row.Documents / baseline.Documents:0.0}×");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using Jobkore.Bench.Hosting;

namespace Jobkore.Bench.Scenarios;

/// <summary>One measured row, as a child process reports it to the parent (one JSON line).</summary>
internal sealed record RowResult(
    string Scenario,
    string Database,
    bool Limits,
    int BatchSize,
    double TimeScale,
    int Documents,
    int Failed,
    int Waiting,
    double Seconds,
    int EngineRequests,
    int WireRequests,
    int Throttled,
    int CeilingPerMinute,
    long PeakWorkingSet)
{
    /// <summary>How long writing the workload into the database took (not part of <see cref="Seconds"/>).</summary>
    public double GenerationSeconds { get; init; }

    /// <summary>Of <see cref="WireRequests"/>, the reads Intuit meters: queries, change data capture, reads by id.</summary>
    public int WireReads { get; init; }
}

/// <summary>The 50,000-invoice list timings, in milliseconds (median of several warm calls, and the first call).</summary>
internal sealed record ListResult(int Invoices, int Waiting, int PendingCount, double PendingFirstMs, double PendingMs, double PageFirstMs, double PageMs, long PeakWorkingSet);

/// <summary>
/// A live row: commit → badge in the DOM of each open invoice list, in milliseconds (every page × change, and the slowest
/// page of each change), and the database commands the app ran for the changes: the pages', its own commits' and, over
/// the same time, the background's (the worker's looks, as counted with the pages open and nothing changing); and the
/// app's own part: commit → the change handed to the pages' listeners (p50, p95); and the CPU the machine used while the
/// changes were committed (null where there is no /proc).
/// </summary>
internal sealed record LiveResult(
    int Pages,
    int Changes,
    int Samples,
    long P50Ms,
    long P95Ms,
    long MaxMs,
    long SlowestPageP95Ms,
    long PageCommands,
    long CommitCommands,
    long BackgroundCommands,
    double Seconds,
    long HandedP50Ms = 0,
    long HandedP95Ms = 0,
    CpuUse? Cpu = null);

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

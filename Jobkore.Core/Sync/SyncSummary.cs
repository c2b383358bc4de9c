namespace Jobkore.Core.Sync;

/// <summary>
/// What a run did: records sent or linked, those that failed (each with its own message), and of those the ones that
/// failed only for a passing reason (no answer, QuickBooks down or busy), which the worker tries again by itself.
/// </summary>
public sealed record SyncSummary(int Synced, int Failed, int QboRequests, int TransientFailures = 0)
{
    public static SyncSummary Empty { get; } = new(0, 0, 0);
}

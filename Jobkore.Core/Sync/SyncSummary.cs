namespace Jobkore.Core.Sync;

/// <summary>
/// What a run did: records sent or linked, those that failed (each with its own message), and of those the ones that
/// failed only for a passing reason (no answer, QuickBooks down or busy), which the worker tries again by itself.
/// </summary>
public sealed record SyncSummary(int Synced, int Failed, int QboRequests, int TransientFailures = 0)
{
    /// <summary>Records the run's look at QuickBooks found newly changed, deleted or voided there, or relinked after a merge.</summary>
    public int ChangedInQuickBooks { get; init; }

    public static SyncSummary Empty { get; } = new(0, 0, 0);
}

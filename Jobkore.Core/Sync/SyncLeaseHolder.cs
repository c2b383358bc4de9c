namespace Jobkore.Core.Sync;

/// <summary>
/// Who holds the sync lease of the business a scope runs for (set by <see cref="SyncWorker"/> around each run). While
/// it is set, the engine makes sure the lease is still held before every request it sends; null when the engine is
/// driven directly, without a lease.
/// </summary>
public sealed class SyncLeaseHolder
{
    public string? Holder { get; set; }
}

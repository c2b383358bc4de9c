namespace Jobkore.Core.Sync;

/// <summary>What a run did: documents and records sent or linked, and those that failed (each with its own message).</summary>
public sealed record SyncSummary(int Synced, int Failed, int QboRequests)
{
    public static SyncSummary Empty { get; } = new(0, 0, 0);
}

using Jobkore.Core.SyncState;

namespace Jobkore.Core.Sync.Engine;

/// <summary>What a run has done so far, by record type: records sent (or linked, or needing nothing), and records that failed.</summary>
internal sealed class SyncCounts
{
    private readonly Dictionary<SyncEntityType, int> _sent = [];
    private readonly Dictionary<SyncEntityType, int> _failed = [];

    public int Sent { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Of the failed, those that failed only for a passing reason.</summary>
    public int TransientFailures { get; private set; }

    public int SentOf(SyncEntityType type) => _sent.GetValueOrDefault(type);

    public int FailedOf(SyncEntityType type) => _failed.GetValueOrDefault(type);

    public void CountSent(SyncEntityType type)
    {
        _sent[type] = SentOf(type) + 1;
        Sent++;
    }

    public void CountFailed(SyncEntityType type)
    {
        _failed[type] = FailedOf(type) + 1;
        Failed++;
    }

    public void CountTransient() => TransientFailures++;
}

using Jobkore.Core.QuickBooks.Mappings;

namespace Jobkore.Core.Sync.Engine;

/// <summary>What a run has done so far, by record type: records sent (or linked, or needing nothing), and records that failed.</summary>
internal sealed class SyncCounts
{
    private readonly int[] _sent = new int[Enum.GetValues<SyncEntityType>().Length];
    private readonly int[] _failed = new int[Enum.GetValues<SyncEntityType>().Length];

    public int Sent { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Of the failed, those that failed only for a passing reason.</summary>
    public int TransientFailures { get; private set; }

    public int SentOf(SyncEntityType type) => _sent[(int)type];

    public int FailedOf(SyncEntityType type) => _failed[(int)type];

    public void CountSent(SyncEntityType type)
    {
        _sent[(int)type]++;
        Sent++;
    }

    public void CountFailed(SyncEntityType type)
    {
        _failed[(int)type]++;
        Failed++;
    }

    public void CountTransient() => TransientFailures++;
}

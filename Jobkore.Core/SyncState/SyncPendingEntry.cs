namespace Jobkore.Core.SyncState;

/// <summary>
/// A record of the connected company that needs something: it waits to be sent (<see cref="Waiting"/>; of those, the
/// ones whose last attempt failed, <see cref="Failed"/>), or it changed in QuickBooks and waits for a person's choice
/// (<see cref="Flagged"/>). A record that needs nothing has no entry. The set is derived from the records and their
/// sync records in the same transaction as every save that changes them (Sync/Tracking/SyncPendingSet), so the waiting
/// count, the filters and the engine read it instead of comparing every record's hash.
/// </summary>
public sealed class SyncPendingEntry(int businessId, string realmId, SyncEntityType entityType, int entityId, bool waiting, bool failed, bool flagged)
{
    public int BusinessId { get; private set; } = businessId;

    public string RealmId { get; private set; } = realmId;

    public SyncEntityType EntityType { get; private set; } = entityType;

    public int EntityId { get; private set; } = entityId;

    /// <summary>Not synced, edited since, or failed: the next run sends it.</summary>
    public bool Waiting { get; private set; } = waiting;

    /// <summary>Waiting, and its last attempt failed.</summary>
    public bool Failed { get; private set; } = failed;

    /// <summary>Changed, deleted or voided in QuickBooks: not sent until a person chooses.</summary>
    public bool Flagged { get; private set; } = flagged;
}

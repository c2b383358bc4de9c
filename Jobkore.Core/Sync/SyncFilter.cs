namespace Jobkore.Core.Sync;

/// <summary>The QuickBooks statuses a list can be narrowed to.</summary>
public enum SyncFilter
{
    /// <summary>Not synced yet, edited since the last sync, or failed: what the next sync sends.</summary>
    Waiting,

    Failed,

    UpToDate,

    /// <summary>Changed, deleted or voided in QuickBooks: a person chooses what happens.</summary>
    ChangedInQuickBooks,
}

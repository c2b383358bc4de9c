namespace Jobkore.Core.Sync;

/// <summary>Where a record stands with the connected QuickBooks company (docs/design.md §4). Derived, never stored.</summary>
public enum SyncStatus
{
    /// <summary>No QBO record yet. Waiting (a draft invoice waits until it is sent).</summary>
    NotSynced,

    /// <summary>QuickBooks has exactly what Jobkore has (or, for an invoice voided before it was ever sent, nothing is owed to it).</summary>
    UpToDate,

    /// <summary>Sent, but QuickBooks differs in a way to look at (e.g. its total); the record's warning says how. Not waiting.</summary>
    Warning,

    /// <summary>In QuickBooks, but changed in Jobkore since. Waiting.</summary>
    Edited,

    /// <summary>The last attempt failed; the record's sync message says what to do. Waiting.</summary>
    Failed,

    /// <summary>Someone changed in QuickBooks what Jobkore sent (docs/design.md §11). A person chooses: send Jobkore's version, or keep QuickBooks'. Not sent meanwhile.</summary>
    ChangedInQuickBooks,

    /// <summary>Deleted in QuickBooks (a customer or item: made inactive there). A person chooses to re-create it. Not sent meanwhile.</summary>
    DeletedInQuickBooks,

    /// <summary>Voided in QuickBooks while live in Jobkore. A person chooses: void it in Jobkore, or send Jobkore's version. Not sent meanwhile.</summary>
    VoidedInQuickBooks,

    /// <summary>Someone changed it in QuickBooks and a person chose to keep QuickBooks' version: sent again only once it changes in Jobkore.</summary>
    QuickBooksVersionKept,

    /// <summary>Kept out of QuickBooks: an admin chose not to sync the client (Customer matches), so neither it nor its invoices and payments are sent. Not waiting.</summary>
    KeptOut,
}

/// <summary>
/// Documents (invoices and payments) waiting to be sent; <see cref="Failed"/> of them failed last time. Apart from them,
/// <see cref="ChangedInQuickBooks"/>: records of every kind changed, deleted or voided in QuickBooks, waiting for a person.
/// </summary>
public sealed record PendingCount(int Waiting, int Failed, int ChangedInQuickBooks = 0);

/// <summary>The one definition of what a status asks of the sync, used by the waiting count, the filters and the engine.</summary>
public static class SyncStatusExtensions
{
    /// <summary>Not synced, edited since, or failed: the next run sends it (a draft invoice excepted: it waits until it is sent).</summary>
    public static bool IsWaiting(this SyncStatus status) => status is SyncStatus.NotSynced or SyncStatus.Edited or SyncStatus.Failed;

    /// <summary>Changed, deleted or voided in QuickBooks: nothing is sent over it until a person chooses.</summary>
    public static bool IsFlagged(this SyncStatus status) => status is SyncStatus.ChangedInQuickBooks or SyncStatus.DeletedInQuickBooks or SyncStatus.VoidedInQuickBooks;
}

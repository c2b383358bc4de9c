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
}

/// <summary>Documents (invoices and payments) waiting to be sent; <see cref="Failed"/> of them failed last time.</summary>
public sealed record PendingCount(int Waiting, int Failed);

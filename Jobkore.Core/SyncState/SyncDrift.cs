namespace Jobkore.Core.SyncState;

/// <summary>
/// What Jobkore learned QuickBooks did to a record it sent (docs/design.md §11): learned, not derived, so it is stored
/// on the sync record. A flagged record (<see cref="Changed"/>, <see cref="Deleted"/>, <see cref="Voided"/>) is never
/// sent again until a person chooses what happens. Stored as its number: never renumber.
/// </summary>
public enum SyncDrift
{
    None = 0,

    /// <summary>Someone changed, in QuickBooks, a field Jobkore sent.</summary>
    Changed = 1,

    /// <summary>Deleted in QuickBooks (a customer or item: made inactive there).</summary>
    Deleted = 2,

    /// <summary>Voided in QuickBooks while the invoice is live in Jobkore.</summary>
    Voided = 3,

    /// <summary>A person chose to keep QuickBooks' version: not flagged, and not sent until the record changes in Jobkore.</summary>
    Kept = 4,
}

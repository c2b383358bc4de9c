namespace Jobkore.QuickBooksSandbox.Changes;

/// <summary>What a change did to a record, as Intuit's webhooks name it (docs/quickbooks-api.md §6 "Legacy payload").</summary>
internal enum ChangeOperation
{
    Create,
    Update,
    Delete,
    Void,
    Merge,
}

/// <summary>
/// One change a write made to a record of a company: the entity as QBO spells it, the record's id, what happened and
/// when (the record's new MetaData.LastUpdatedTime, or the time of deletion); for a merge, the id merged away.
/// </summary>
internal sealed record EntityChange(string Entity, string Id, ChangeOperation Operation, DateTimeOffset LastUpdated, string? DeletedId = null);

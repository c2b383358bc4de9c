using System.Text.Json.Nodes;

namespace Jobkore.QuickBooksSandbox.Accounting.Entities;

/// <summary>How a void of an entity is asked for (docs/quickbooks-api.md §2): its own operation, or an update with include=void.</summary>
internal enum VoidRequest
{
    None,
    VoidOperation,
    UpdateIncludingVoid,
}

/// <summary>
/// What QBO does to one writable entity's records, beyond what every write does (<see cref="Books"/>: ids, SyncToken,
/// MetaData, string lengths). One class per entity, found by name in <see cref="EntityRules"/>.
/// </summary>
internal interface IEntityRules
{
    /// <summary>The entity's name as QBO spells it.</summary>
    string Entity { get; }

    VoidRequest VoidBy => VoidRequest.None;

    bool Deletable => false;

    /// <summary>Checks a record a create or update is about to store and fills in what QBO fills in; throws a fault to refuse it.</summary>
    void Prepare(WriteContext write, JsonObject record, JsonObject? existing, bool allowDuplicateDocNumber);

    /// <summary>Before an update is checked: what the stored record must stop doing while its new version is checked.</summary>
    void Updating(WriteContext write, JsonObject existing)
    {
    }

    /// <summary>The update was refused: undo <see cref="Updating"/>.</summary>
    void UpdateRefused(WriteContext write, JsonObject existing)
    {
    }

    /// <summary>After a create or update stored the record.</summary>
    void Stored(WriteContext write, JsonObject record)
    {
    }

    /// <summary>The voided version of a stored record (only when <see cref="VoidBy"/> is not None).</summary>
    JsonObject Void(WriteContext write, JsonObject existing) => throw new InvalidOperationException($"{Entity} cannot be voided.");

    /// <summary>Before a stored record is deleted (only when <see cref="Deletable"/>): refuse, or release what it holds.</summary>
    void Deleting(WriteContext write, JsonObject existing)
    {
    }
}

using Jobkore.Core.Domain;

namespace Jobkore.Core.QuickBooks.Mappings;

/// <summary>
/// Which QBO record a Jobkore record is, in one company (DESIGN.md §4). Keyed by realm id: connecting another
/// company never reuses these, and reconnecting the same company after "keep mappings" links everything back.
/// </summary>
public sealed class SyncRecord : IBusinessOwned
{
    private SyncRecord()
    {
        RealmId = string.Empty;
    }

    public SyncRecord(int businessId, string realmId, SyncEntityType entityType, int entityId)
        : this()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realmId);
        BusinessId = businessId;
        RealmId = realmId;
        EntityType = entityType;
        EntityId = entityId;
    }

    public long Id { get; private set; }

    public int BusinessId { get; private set; }

    public string RealmId { get; private set; }

    public SyncEntityType EntityType { get; private set; }

    public int EntityId { get; private set; }

    /// <summary>The QBO Id once the record exists there.</summary>
    public string? QboId { get; private set; }

    /// <summary>The SyncToken QBO returned last: the next update must send it (facts §2 "SyncToken").</summary>
    public string? QboSyncToken { get; private set; }

    public void Link(string qboId, string syncToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(qboId);
        QboId = qboId;
        QboSyncToken = syncToken;
    }
}

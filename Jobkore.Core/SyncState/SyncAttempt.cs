using Jobkore.Core.Domain;

namespace Jobkore.Core.SyncState;

/// <summary>One push of one record to QuickBooks, kept for the record's sync history. Never changed once written.</summary>
public sealed class SyncAttempt : IBusinessOwned
{
    private SyncAttempt()
    {
        RealmId = Operation = string.Empty;
    }

    public SyncAttempt(int businessId, string realmId, SyncEntityType entityType, int entityId, DateTimeOffset at, string operation, bool succeeded,
        string? qboId, string? errorCode, string? errorMessage, string? intuitTid)
        : this()
    {
        BusinessId = businessId;
        RealmId = realmId;
        EntityType = entityType;
        EntityId = entityId;
        At = at;
        Operation = operation;
        Succeeded = succeeded;
        QboId = qboId;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        IntuitTid = intuitTid;
    }

    public long Id { get; private set; }

    public int BusinessId { get; private set; }

    public string RealmId { get; private set; }

    public SyncEntityType EntityType { get; private set; }

    public int EntityId { get; private set; }

    public DateTimeOffset At { get; private set; }

    /// <summary>What was asked of QuickBooks: "Create", "Update", "Link", "Void", "Delete".</summary>
    public string Operation { get; private set; }

    public bool Succeeded { get; private set; }

    public string? QboId { get; private set; }

    public string? ErrorCode { get; private set; }

    public string? ErrorMessage { get; private set; }

    public string? IntuitTid { get; private set; }
}

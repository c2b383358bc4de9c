using Jobkore.Core.Domain;

namespace Jobkore.Core.Sync;

/// <summary>
/// A batch request saved before it is sent: its requestid, the exact request and which records its items are. If the
/// answer is lost (a crash, a dropped connection) the next run resends it unchanged with the same requestid, and
/// QuickBooks replays its first answer instead of doing the writes twice.
/// </summary>
public sealed class SyncBatch : IBusinessOwned
{
    private SyncBatch()
    {
        RealmId = RequestId = Payload = Members = string.Empty;
    }

    public SyncBatch(int businessId, string realmId, string requestId, string payload, string members, DateTimeOffset createdAt)
    {
        BusinessId = businessId;
        RealmId = realmId;
        RequestId = requestId;
        Payload = payload;
        Members = members;
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }

    public int BusinessId { get; private set; }

    public string RealmId { get; private set; }

    public string RequestId { get; private set; }

    /// <summary>The batch request body as sent (QBO JSON).</summary>
    public string Payload { get; private set; }

    /// <summary>Which record each bId is, and what was sent for it (JSON).</summary>
    public string Members { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}

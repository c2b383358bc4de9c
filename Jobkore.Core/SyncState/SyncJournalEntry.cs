using Jobkore.Core.Domain;

namespace Jobkore.Core.SyncState;

/// <summary>
/// One QuickBooks request in the write journal (docs/design.md §10): a single write or a batch, saved with its requestid
/// and its exact body before it is sent. Until QuickBooks answers it, it is resent unchanged, so QuickBooks replays
/// its first answer instead of doing it twice, and no later write of its records is computed. The answer is recorded
/// on the records and the entry is deleted.
/// </summary>
public sealed class SyncJournalEntry : IBusinessOwned
{
    private SyncJournalEntry()
    {
        RealmId = RequestId = Body = Writes = string.Empty;
    }

    public SyncJournalEntry(int businessId, string realmId, string requestId, bool isBatch, string body, string writes, DateTimeOffset createdAt)
        : this()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        BusinessId = businessId;
        RealmId = realmId;
        RequestId = requestId;
        IsBatch = isBatch;
        Body = body;
        Writes = writes;
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }

    public int BusinessId { get; private set; }

    public string RealmId { get; private set; }

    public string RequestId { get; private set; }

    /// <summary>A batch request (its <see cref="Body"/> holds every item); otherwise one write.</summary>
    public bool IsBatch { get; private set; }

    /// <summary>The request body exactly as sent (QBO JSON).</summary>
    public string Body { get; private set; }

    /// <summary>Which record each write is and what to record when it is answered (the sync's <c>JournaledWrite</c>s, as JSON).</summary>
    public string Writes { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}

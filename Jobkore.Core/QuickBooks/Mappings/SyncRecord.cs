using Jobkore.Core.Domain;

namespace Jobkore.Core.QuickBooks.Mappings;

/// <summary>
/// Which QBO record a Jobkore record is, in one company, and how its last push went (DESIGN.md §4). Keyed by realm
/// id: connecting another company never reuses these, and reconnecting the same company after "keep mappings" links
/// everything back. The status is derived, never stored: see <see cref="Sync.SyncStatuses"/>.
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

    /// <summary>The content hash of the snapshot last pushed; equal to the record's current hash means up to date.</summary>
    public string? PushedHash { get; private set; }

    /// <summary>The requestid of a create in flight, saved before the call and reused by every retry of it.</summary>
    public string? PendingRequestId { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public DateTimeOffset? LastSyncedAt { get; private set; }

    /// <summary>True when the last attempt failed; <see cref="LastError"/> says what to do about it.</summary>
    public bool Failed { get; private set; }

    public string? LastError { get; private set; }

    public string? LastErrorCode { get; private set; }

    public string? LastIntuitTid { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>Pushed, but QuickBooks differs in a way the user should see, e.g. "Amount differs in QuickBooks: …".</summary>
    public string? Warning { get; private set; }

    public void Link(string qboId, string syncToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(qboId);
        QboId = qboId;
        QboSyncToken = syncToken;
    }

    /// <summary>Forgets the QBO record (deleted there): the next sync creates it again, or links one of the same name or number.</summary>
    public void Unlink()
    {
        QboId = QboSyncToken = PushedHash = PendingRequestId = Warning = null;
        Failed = false;
        LastError = LastErrorCode = LastIntuitTid = null;
    }

    /// <summary>Remembers the requestid before the call, so a retry after a crash replays instead of creating twice.</summary>
    public void BeginAttempt(string requestId, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        PendingRequestId = requestId;
        LastAttemptAt = now;
        Attempts++;
    }

    /// <summary>Counts an attempt that travels in a batch (the batch carries the requestid).</summary>
    public void BeginBatchAttempt(DateTimeOffset now)
    {
        LastAttemptAt = now;
        Attempts++;
    }

    /// <summary>QBO has the snapshot whose hash is <paramref name="pushedHash"/>.</summary>
    public void Succeeded(string qboId, string syncToken, string pushedHash, DateTimeOffset now, string? warning = null)
    {
        Link(qboId, syncToken);
        Warning = warning;
        PushedHash = pushedHash;
        PendingRequestId = null;
        LastSyncedAt = now;
        Failed = false;
        LastError = LastErrorCode = LastIntuitTid = null;
    }

    /// <summary>The attempt failed; <paramref name="message"/> is written for the person who can fix it.</summary>
    /// <remarks>
    /// A definite answer from QuickBooks ends the request: the next attempt gets a new requestid. A transient failure
    /// (<paramref name="keepRequestId"/>) may have been committed by QuickBooks, so the retry must replay the same id.
    /// </remarks>
    public void FailedWith(string message, string? code, string? intuitTid, DateTimeOffset now, bool keepRequestId = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        if (!keepRequestId)
        {
            PendingRequestId = null;
        }

        Failed = true;
        LastError = message;
        LastErrorCode = code;
        LastIntuitTid = intuitTid;
        LastAttemptAt = now;
    }
}

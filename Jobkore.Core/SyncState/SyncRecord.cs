using Jobkore.Core.Domain;

namespace Jobkore.Core.SyncState;

/// <summary>
/// Which QBO record a Jobkore record is, in one company, and how its last push went (docs/design.md §4). Keyed by realm
/// id: connecting another company never reuses these, and reconnecting the same company after "keep mappings" links
/// everything back. The status is derived, never stored (by the sync's <c>SyncStatuses</c>).
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

    /// <summary>The SyncToken QBO returned last: the next update must send it (docs/quickbooks-api.md §2 "SyncToken").</summary>
    public string? QboSyncToken { get; private set; }

    /// <summary>The content hash of the snapshot last pushed; equal to the record's current hash means up to date.</summary>
    public string? PushedHash { get; private set; }

    /// <summary>
    /// The optional fields Jobkore owns that QuickBooks holds a value in, as its last answer showed; null when not known
    /// (a record synced before this was kept). Emptying one of them takes a full update (see <see cref="QboFieldSet"/>).
    /// </summary>
    public QboFieldSet? HeldFields { get; private set; }

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

    /// <summary>
    /// Links the QBO record without saying it holds Jobkore's content: a record linked by name or number whose content
    /// differs waits for the update that follows.
    /// </summary>
    public void Link(string qboId, string syncToken, QboFieldSet? heldFields = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(qboId);
        ArgumentException.ThrowIfNullOrWhiteSpace(syncToken);
        QboId = qboId;
        QboSyncToken = syncToken;
        HeldFields = heldFields;
    }

    /// <summary>Forgets the QBO record (deleted there): the next sync creates it again, or links one of the same name or number.</summary>
    public void Unlink()
    {
        QboId = QboSyncToken = PushedHash = Warning = null;
        HeldFields = null;
        Failed = false;
        LastError = LastErrorCode = LastIntuitTid = null;
    }

    /// <summary>Counts an attempt (single or in a batch; the write journal carries its requestid).</summary>
    public void BeginAttempt(DateTimeOffset now)
    {
        LastAttemptAt = now;
        Attempts++;
    }

    /// <summary>QBO has the snapshot whose hash is <paramref name="pushedHash"/>, and holds the optional fields <paramref name="heldFields"/> (null: not known).</summary>
    public void Succeeded(string qboId, string syncToken, string pushedHash, DateTimeOffset now, string? warning = null, QboFieldSet? heldFields = null)
    {
        Link(qboId, syncToken, heldFields);
        Warning = warning;
        PushedHash = pushedHash;
        LastSyncedAt = now;
        Failed = false;
        LastError = LastErrorCode = LastIntuitTid = null;
    }

    /// <summary>
    /// Checked, and QuickBooks needs nothing for the content whose hash is <paramref name="pushedHash"/> (an invoice
    /// voided before it reached QuickBooks, of which QuickBooks has no invoice): no QBO record is linked.
    /// </summary>
    public void NothingToSend(string pushedHash, DateTimeOffset now)
    {
        Unlink();
        PushedHash = pushedHash;
        LastSyncedAt = now;
    }

    /// <summary>The attempt failed; <paramref name="message"/> is written for the person who can fix it.</summary>
    /// <remarks>A write whose answer was lost stays in the write journal and is resent unchanged; this only says so.</remarks>
    public void FailedWith(string message, string? code, string? intuitTid, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        Failed = true;
        LastError = message;
        LastErrorCode = code;
        LastIntuitTid = intuitTid;
        LastAttemptAt = now;
    }
}

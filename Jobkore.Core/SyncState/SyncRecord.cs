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

    /// <summary>
    /// For a payment: the Jobkore invoice it pays. Kept after the payment is removed in Jobkore, so that while QuickBooks
    /// still holds it (its void is to come, or was refused) its invoice says so.
    /// </summary>
    public int? PaidInvoiceId { get; private set; }

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
    /// The fields Jobkore owns as QuickBooks held them after Jobkore's last write or link (JSON, <see cref="QboSnapshot"/>);
    /// null when not known (synced before they were kept). What a later QuickBooks version is compared with.
    /// </summary>
    public string? QboFields { get; private set; }

    /// <summary>The hash of <see cref="QboFields"/>: equal hashes, nothing Jobkore owns changed in QuickBooks.</summary>
    public string? QboHash { get; private set; }

    /// <summary>What QuickBooks did to the record since Jobkore sent it, as last checked (docs/design.md §11).</summary>
    public SyncDrift Drift { get; private set; }

    /// <summary>For <see cref="SyncDrift.Changed"/>: the fields that differ (JSON list of <c>QboDifference</c>: field, Jobkore's value, QuickBooks' value).</summary>
    public string? DriftFields { get; private set; }

    /// <summary>When the change in QuickBooks was found.</summary>
    public DateTimeOffset? DriftFoundAt { get; private set; }

    /// <summary>True while a person must choose what happens (changed, deleted or voided in QuickBooks): nothing is sent meanwhile.</summary>
    public bool IsFlagged => Drift is SyncDrift.Changed or SyncDrift.Deleted or SyncDrift.Voided;

    /// <summary>Notes the invoice a payment's record pays (<see cref="PaidInvoiceId"/>).</summary>
    public void Pays(int invoiceId)
    {
        if (EntityType != SyncEntityType.Payment)
        {
            throw new InvalidOperationException($"Only a payment pays an invoice, not a {EntityType}.");
        }

        PaidInvoiceId = invoiceId;
    }

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
        ClearDrift();
        QboFields = QboHash = null;
    }

    /// <summary>QuickBooks holds <paramref name="owned"/> for the fields Jobkore owns: what later versions are compared with.</summary>
    public void SeenInQuickBooks(QboSnapshot owned, string? syncToken = null)
    {
        ArgumentNullException.ThrowIfNull(owned);
        QboFields = owned.Fields;
        QboHash = owned.Hash;
        QboSyncToken = syncToken ?? QboSyncToken;
    }

    /// <summary>Someone changed fields Jobkore owns in QuickBooks: flagged until a person chooses.</summary>
    public void ChangedInQuickBooks(string differences, string syncToken, DateTimeOffset now) => Flag(SyncDrift.Changed, differences, syncToken, now);

    /// <summary>Deleted (or, for a customer or item, made inactive) in QuickBooks: flagged until a person chooses.</summary>
    public void DeletedInQuickBooks(string? differences, string? syncToken, DateTimeOffset now) => Flag(SyncDrift.Deleted, differences, syncToken, now);

    /// <summary>Voided in QuickBooks while live in Jobkore: flagged until a person chooses.</summary>
    public void VoidedInQuickBooks(string differences, string syncToken, DateTimeOffset now) => Flag(SyncDrift.Voided, differences, syncToken, now);

    /// <summary>
    /// A person keeps QuickBooks' version: it becomes what later versions are compared with, and the record is not sent
    /// until it changes in Jobkore (its content hash <paramref name="currentHash"/> is taken as sent).
    /// </summary>
    public void KeepQuickBooksVersion(string currentHash, QboSnapshot quickBooksVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currentHash);
        ArgumentNullException.ThrowIfNull(quickBooksVersion);
        PushedHash = currentHash;
        QboFields = quickBooksVersion.Fields;
        QboHash = quickBooksVersion.Hash;
        HeldFields = null;
        Drift = SyncDrift.Kept;
        DriftFields = null;
        Failed = false;
        LastError = LastErrorCode = LastIntuitTid = null;
    }

    /// <summary>
    /// A person sends Jobkore's version over QuickBooks' (a deleted invoice or payment is created again): the record
    /// waits, and its next write is a full update, since what QuickBooks holds is not known any more.
    /// </summary>
    /// <param name="quickBooksVersion">QuickBooks' version as the change that was found left it: seen again, it is not flagged again.</param>
    public void SendJobkoreVersion(QboSnapshot? quickBooksVersion)
    {
        if (Drift == SyncDrift.Deleted && QboId is not null && EntityType is SyncEntityType.Invoice or SyncEntityType.Payment)
        {
            Unlink();
            return;
        }

        if (quickBooksVersion is not null)
        {
            QboFields = quickBooksVersion.Fields;
            QboHash = quickBooksVersion.Hash;
        }

        PushedHash = null;
        HeldFields = null;
        ClearDrift();
    }

    /// <summary>The customer this record was linked to was merged into <paramref name="survivorId"/> in QuickBooks: linked to that one. What Jobkore sent stays what it is compared with.</summary>
    public void Relink(string survivorId, string syncToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(survivorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(syncToken);
        QboId = survivorId;
        QboSyncToken = syncToken;
        HeldFields = null;
    }

    /// <summary>QuickBooks holds again what Jobkore last sent (a change there was undone, or was to fields Jobkore does not send): no longer flagged.</summary>
    public void InStepWithQuickBooks(string syncToken)
    {
        QboSyncToken = syncToken;
        if (IsFlagged)
        {
            ClearDrift();
        }
    }

    /// <summary>Counts an attempt (single or in a batch; the write journal carries its requestid).</summary>
    public void BeginAttempt(DateTimeOffset now)
    {
        LastAttemptAt = now;
        Attempts++;
    }

    /// <summary>
    /// A person asks for the record to be sent again as it is (QuickBooks took it with another total, and what made the
    /// difference — its sales tax settings — is corrected): it waits, and the next write sends it over what QuickBooks holds.
    /// </summary>
    public void SendAgain() => PushedHash = null;

    /// <summary>QBO has the snapshot whose hash is <paramref name="pushedHash"/>, and holds the optional fields <paramref name="heldFields"/> (null: not known).</summary>
    public void Succeeded(string qboId, string syncToken, string pushedHash, DateTimeOffset now, string? warning = null, QboFieldSet? heldFields = null,
        QboSnapshot? owned = null)
    {
        Link(qboId, syncToken, heldFields);
        ClearDrift();
        QboFields = owned?.Fields;
        QboHash = owned?.Hash;
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

    private void Flag(SyncDrift drift, string? differences, string? syncToken, DateTimeOffset now)
    {
        Drift = drift;
        DriftFields = differences;
        DriftFoundAt = now;
        QboSyncToken = syncToken ?? QboSyncToken;
    }

    private void ClearDrift()
    {
        Drift = SyncDrift.None;
        DriftFields = null;
        DriftFoundAt = null;
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

using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync;

/// <summary>
/// Derives sync statuses for one company from the records' content hashes and their sync records (docs/design.md §4).
/// What waits is read from the pending set (<see cref="SyncPendingEntry"/>), which every save keeps derived by the
/// same rule (<see cref="Derive"/>, <see cref="SyncStatusExtensions.IsWaiting"/>), so the waiting count stays one small
/// query however many invoices there are.
/// </summary>
public sealed partial class SyncStatuses(IDbContextFactory<JobkoreDbContext> dbFactory)
{
    /// <summary>Invoices and payments that are not synced, edited or failed; failed ones are counted apart as well.</summary>
    public async Task<PendingCount> PendingCountAsync(string realmId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realmId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await PendingCountAsync(db, realmId, cancellationToken);
    }

    /// <summary>Runs the waiting count once for no company, so EF Core has compiled its query before anyone asks (start-up).</summary>
    internal async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await PendingCountAsync(db, "(none)", cancellationToken);
    }

    private static async Task<PendingCount> PendingCountAsync(JobkoreDbContext db, string realmId, CancellationToken cancellationToken)
    {
        // One row per kind of entry: a handful, however many records wait.
        var kinds = await db.SyncPending.Where(e => e.RealmId == realmId)
            .GroupBy(e => new { e.EntityType, e.Waiting, e.Failed, e.Flagged })
            .Select(g => new { g.Key.EntityType, g.Key.Waiting, g.Key.Failed, g.Key.Flagged, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var documents = kinds.Where(k => k.EntityType is SyncEntityType.Invoice or SyncEntityType.Payment).ToList();
        return new PendingCount(documents.Where(k => k.Waiting).Sum(k => k.Count), documents.Where(k => k.Failed).Sum(k => k.Count), kinds.Where(k => k.Flagged).Sum(k => k.Count));
    }

    /// <summary>
    /// Derives which records wait from scratch. Every save through the app keeps that current by itself: this is for
    /// records written without it (a bulk load in SQL).
    /// </summary>
    public async Task RederivePendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.RederiveSyncPendingAsync(cancellationToken);
    }

    /// <summary>
    /// The given changes, each with its record's sync state as committed now, and the business's counts: what
    /// <see cref="SyncStatusChanged"/> tells the screens. Without a connected company, no views and no counts.
    /// </summary>
    internal async Task<(IReadOnlyList<SyncRecordChange> Changes, PendingCount? Counts)> StateOfAsync(IReadOnlyList<SyncRecordChange> changes, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var realmId = await ConnectedRealmAsync(db, cancellationToken);
        if (realmId is null)
        {
            return (changes, null);
        }

        var views = new Dictionary<(SyncEntityType, int), SyncView>();
        foreach (var group in changes.GroupBy(c => c.EntityType))
        {
            var ids = group.Select(c => c.EntityId).ToList();
            var ofType = group.Key == SyncEntityType.Invoice ? await ViewsAsync(db, realmId, ids, cancellationToken) : await ViewsAsync(db, realmId, group.Key, ids, cancellationToken);
            foreach (var (id, view) in ofType)
            {
                views[(group.Key, id)] = view;
            }
        }

        var unknownInvoices = changes.Where(c => c.EntityType == SyncEntityType.Payment && c.InvoiceId is null).Select(c => c.EntityId).ToList();
        var invoiceOf = unknownInvoices.Count == 0 ? [] : await db.Payments.Where(p => unknownInvoices.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.InvoiceId, cancellationToken);
        var told = changes.Select(c => c with
        {
            View = views.GetValueOrDefault((c.EntityType, c.EntityId)),
            InvoiceId = c.InvoiceId ?? (c.EntityType == SyncEntityType.Payment && invoiceOf.TryGetValue(c.EntityId, out var invoiceId) ? invoiceId : null),
        }).ToList();
        return (told, await PendingCountAsync(db, realmId, cancellationToken));
    }

    /// <summary>The ids of the records of <paramref name="type"/> waiting for <paramref name="realmId"/> (the engine's candidates: it checks each loaded record again).</summary>
    internal static IQueryable<int> WaitingIds(JobkoreDbContext db, string realmId, SyncEntityType type) =>
        db.SyncPending.Where(e => e.RealmId == realmId && e.EntityType == type && e.Waiting).Select(e => e.EntityId);

    /// <summary>The status of each of the given invoices.</summary>
    public async Task<IReadOnlyDictionary<int, SyncStatus>> ForInvoicesAsync(string realmId, IReadOnlyCollection<int> invoiceIds, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await ViewsAsync(db, realmId, invoiceIds, cancellationToken)).ToDictionary(v => v.Key, v => v.Value.Status);
    }

    /// <summary>
    /// One invoice's sync state with the connected company, with the message to show when it failed or differs; null
    /// when QuickBooks is not connected (nothing to show).
    /// </summary>
    public async Task<SyncView?> ForInvoiceAsync(int invoiceId, CancellationToken cancellationToken) =>
        (await ViewsForInvoicesAsync([invoiceId], cancellationToken))?.GetValueOrDefault(invoiceId);

    /// <summary>The sync state of each of a page of invoices, in three small queries; null when QuickBooks is not connected.</summary>
    public async Task<IReadOnlyDictionary<int, SyncView>?> ViewsForInvoicesAsync(IReadOnlyCollection<int> invoiceIds, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var realmId = await ConnectedRealmAsync(db, cancellationToken);
        return realmId is null ? null : await ViewsAsync(db, realmId, invoiceIds, cancellationToken);
    }

    /// <summary>The company whose statuses are shown: the connected one (or the one needing reconnection); null when none.</summary>
    internal static Task<string?> ConnectedRealmAsync(JobkoreDbContext db, CancellationToken cancellationToken) =>
        db.QuickBooksConnections.Where(c => c.Status != QuickBooks.Connections.QuickBooksConnectionStatus.Disconnected)
            .Select(c => c.RealmId).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The invoices of <paramref name="invoices"/> whose status with <paramref name="realmId"/> matches <paramref name="filter"/>, in SQL.</summary>
    internal static IQueryable<Invoice> WhereSync(JobkoreDbContext db, string realmId, IQueryable<Invoice> invoices, SyncFilter filter)
    {
        var pending = db.SyncPending.Where(e => e.RealmId == realmId && e.EntityType == SyncEntityType.Invoice);
        var records = db.SyncRecords.Where(r => r.RealmId == realmId && r.EntityType == SyncEntityType.Invoice);
        var keptOut = KeptOutClients(db, realmId);
        return filter switch
        {
            SyncFilter.Waiting => invoices.Where(i => pending.Any(e => e.EntityId == i.Id && e.Waiting)),
            SyncFilter.Failed => invoices.Where(i => pending.Any(e => e.EntityId == i.Id && e.Failed)),
            SyncFilter.UpToDate => invoices.Where(i => i.Status != InvoiceStatus.Draft && !pending.Any(e => e.EntityId == i.Id) && !keptOut.Contains(i.ClientId)
                && !records.Any(r => r.EntityId == i.Id && (r.Warning != null || r.Drift != SyncDrift.None))),
            SyncFilter.ChangedInQuickBooks => invoices.Where(i => pending.Any(e => e.EntityId == i.Id && e.Flagged)),
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Not a sync filter."),
        };
    }

    private static async Task<Dictionary<int, SyncView>> ViewsAsync(JobkoreDbContext db, string realmId, IReadOnlyCollection<int> invoiceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoiceIds);
        var keptOut = KeptOutClients(db, realmId);
        var invoices = await db.Invoices.Where(i => invoiceIds.Contains(i.Id))
            .Select(i => new { i.Id, Hash = EF.Property<string?>(i, SyncHashProperty.Name), Voided = i.Status == InvoiceStatus.Void,
                VoidedDraft = i.Status == InvoiceStatus.Void && i.SentAt == null, Draft = i.Status == InvoiceStatus.Draft, KeptOut = keptOut.Contains(i.ClientId) })
            .ToListAsync(cancellationToken);
        var records = await db.SyncRecords.AsNoTracking()
            .Where(r => r.RealmId == realmId && r.EntityType == SyncEntityType.Invoice && invoiceIds.Contains(r.EntityId))
            .ToDictionaryAsync(r => r.EntityId, cancellationToken);
        var removedPayments = await RemovedPaymentsOf(db, realmId, invoiceIds, cancellationToken);
        return invoices.ToDictionary(i => i.Id, i =>
        {
            var record = records.GetValueOrDefault(i.Id);
            var removed = removedPayments.GetValueOrDefault(i.Id);
            var status = Derive(record, i.Hash, neverNeedsSending: i.VoidedDraft, keptOut: i.KeptOut, removedPayment: removed);
            var failure = record is { Failed: true } ? record : removed;
            var message = status switch
            {
                SyncStatus.KeptOut => KeptOutMessage("invoice"),
                SyncStatus.Failed => failure!.LastError,
                SyncStatus.Edited when removed is not null && (record?.QboId is null || record.PushedHash == i.Hash) =>
                    "A payment removed from this invoice in Jobkore is still in QuickBooks: the next sync voids it there.",
                SyncStatus.Warning => record!.Warning,
                SyncStatus.NotSynced when i.Draft => "Drafts are sent to QuickBooks once they are marked as sent.",
                SyncStatus.NotSynced when i.Voided => "Voided before it reached QuickBooks. The next sync makes sure QuickBooks has no invoice of its number, and voids it there if it has this one.",
                SyncStatus.UpToDate when record?.QboId is null => "Voided before it reached QuickBooks: nothing needed sending.",
                _ => DriftMessage(status, record, "invoice"),
            };
            return new SyncView(status, message, record?.QboId)
            {
                Differences = DifferencesOf(status, record),
                ErrorCode = status == SyncStatus.Failed ? failure!.LastErrorCode : null,
                FailedAt = status == SyncStatus.Failed ? failure!.LastAttemptAt : null,
            };
        });
    }

    /// <summary>The clients an admin chose to keep out of <paramref name="realmId"/> (Customer matches).</summary>
    internal static IQueryable<int> KeptOutClients(JobkoreDbContext db, string realmId) =>
        db.CustomerMatches.Where(m => m.RealmId == realmId && m.State == CustomerMatchState.DontSync).Select(m => m.ClientId);

    /// <summary>What a record kept out of QuickBooks says.</summary>
    private static string KeptOutMessage(string kind) => kind == "client"
        ? "Kept out of QuickBooks: an admin chose not to sync this client. To send it after all, choose again in Settings › Integrations › QuickBooks › Customer matches."
        : $"Not sent: its client is kept out of QuickBooks, so this {kind} is not either. To send them, choose again in Settings › Integrations › QuickBooks › Customer matches.";

    /// <summary>What a person reads about a record changed in QuickBooks; null for other statuses.</summary>
    private static string? DriftMessage(SyncStatus status, SyncRecord? record, string kind) => status switch
    {
        SyncStatus.ChangedInQuickBooks => $"Someone changed this {kind} in QuickBooks ({string.Join(", ", DifferencesOf(status, record).Select(d => d.Field))}). "
            + "Jobkore sends nothing over it until you choose: send Jobkore's version, or keep QuickBooks' version.",
        SyncStatus.DeletedInQuickBooks => kind is "client" or "catalog item"
            ? $"This {kind} was deleted (made inactive) in QuickBooks. Re-create it there to send it again."
            : $"This {kind} was deleted in QuickBooks. Re-create it there to send it again.",
        SyncStatus.VoidedInQuickBooks => "This invoice was voided in QuickBooks but is live in Jobkore. Void it in Jobkore too, or send Jobkore's version to QuickBooks.",
        SyncStatus.QuickBooksVersionKept => "QuickBooks' version was kept. Jobkore sends this record again once it is edited here.",
        _ => null,
    };

    private static IReadOnlyList<Projection.QboDifference> DifferencesOf(SyncStatus status, SyncRecord? record) =>
        status == SyncStatus.ChangedInQuickBooks || (status == SyncStatus.DeletedInQuickBooks && record?.DriftFields is not null)
            ? Projection.QboOwnedValues.DifferencesFromJson(record!.DriftFields)
            : [];

    /// <summary>
    /// The status of one record from its sync record (if any) and its current content hash. A record with no QuickBooks
    /// id whose hash was recorded was checked: QuickBooks needs nothing for that content (an invoice voided before it
    /// ever got there).
    /// </summary>
    /// <param name="record">The record's sync record with the company, if any.</param>
    /// <param name="currentHash">The record's content hash now.</param>
    /// <param name="neverNeedsSending">QuickBooks never needs it (a voided draft).</param>
    /// <param name="keptOut">Its client is kept out of QuickBooks: unless it got there before, it is not sent.</param>
    /// <param name="removedPayment">
    /// For an invoice: a payment removed from it in Jobkore that QuickBooks still holds (<see cref="RemovedPaymentsOf"/>).
    /// QuickBooks' invoice is not as Jobkore's until it is voided: the invoice waits, and has failed when its void did.
    /// </param>
    public static SyncStatus Derive(SyncRecord? record, string? currentHash, bool neverNeedsSending = false, bool keptOut = false, SyncRecord? removedPayment = null)
    {
        var own = record switch
        {
            _ when keptOut && record?.QboId is null => SyncStatus.KeptOut,
            { Drift: SyncDrift.Changed } => SyncStatus.ChangedInQuickBooks,
            { Drift: SyncDrift.Deleted } => SyncStatus.DeletedInQuickBooks,
            { Drift: SyncDrift.Voided } => SyncStatus.VoidedInQuickBooks,
            { Failed: true } => SyncStatus.Failed,
            { Drift: SyncDrift.Kept, QboId: not null } when record.PushedHash == currentHash => SyncStatus.QuickBooksVersionKept,
            { QboId: not null } when record.PushedHash is not null && record.PushedHash == currentHash => record.Warning is null ? SyncStatus.UpToDate : SyncStatus.Warning,
            { QboId: not null } => SyncStatus.Edited,
            { PushedHash: not null } when record.PushedHash == currentHash => SyncStatus.UpToDate,
            _ when neverNeedsSending => SyncStatus.UpToDate,
            _ => SyncStatus.NotSynced,
        };
        return (removedPayment, own) switch
        {
            (null, _) => own,
            (_, SyncStatus.KeptOut or SyncStatus.Failed) => own,
            (_, _) when own.IsFlagged() => own,
            ({ Failed: true }, _) => SyncStatus.Failed,
            (_, SyncStatus.NotSynced) => own,
            _ => SyncStatus.Edited,
        };
    }

    /// <summary>
    /// The sync records of payments Jobkore no longer has that QuickBooks does, with every company: each is voided there
    /// by that company's next run, so they outlast the clearing of the links too.
    /// </summary>
    internal static IQueryable<SyncRecord> RecordsOfRemovedPayments(JobkoreDbContext db) =>
        db.SyncRecords.Where(r => r.EntityType == SyncEntityType.Payment && r.QboId != null && !db.Payments.Any(p => p.Id == r.EntityId));

    /// <summary>
    /// For each of <paramref name="invoiceIds"/> (every invoice when null) that has one: the removed payment QuickBooks still
    /// holds that its status shows — a failed one first.
    /// </summary>
    internal static async Task<Dictionary<int, SyncRecord>> RemovedPaymentsOf(JobkoreDbContext db, string realmId, IReadOnlyCollection<int>? invoiceIds, CancellationToken cancellationToken)
    {
        var removed = RecordsOfRemovedPayments(db).AsNoTracking().Where(r => r.RealmId == realmId && r.PaidInvoiceId != null);
        var records = await (invoiceIds is null ? removed : removed.Where(r => invoiceIds.Contains(r.PaidInvoiceId!.Value))).ToListAsync(cancellationToken);
        return records.GroupBy(r => r.PaidInvoiceId!.Value).ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.Failed).ThenBy(r => r.EntityId).First());
    }
}

using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// What one run sends (docs/design.md §4): the waiting invoices and payments, the clients and catalog items they need that
/// are new or edited, and the payments deleted in Jobkore that QuickBooks still holds. Records with a request in
/// doubt are left out: the journal resends that request first.
/// </summary>
internal sealed class SyncPlan
{
    public required IReadOnlyList<CatalogItem> Items { get; init; }

    public required IReadOnlyList<Client> Clients { get; init; }

    /// <summary>Waiting invoices with their lines and clients: creates and updates first, voids after.</summary>
    public required IReadOnlyList<Invoice> Invoices { get; init; }

    public required IReadOnlyList<Payment> Payments { get; init; }

    public required IReadOnlyList<SyncRecord> DeletedPayments { get; init; }

    public int Total => Items.Count + Clients.Count + Invoices.Count + Payments.Count + DeletedPayments.Count;

    /// <summary>Plans a run of every waiting record, or of <paramref name="onlyInvoiceIds"/> with what they need.</summary>
    public static async Task<SyncPlan> LoadAsync(JobkoreDbContext db, SyncRecorder recorder, string realmId, IReadOnlyCollection<int>? onlyInvoiceIds,
        CancellationToken cancellationToken)
    {
        // SQL picks the candidates from the stored hashes, so a run loads only what waits; the hash of the loaded
        // snapshot (what is sent) has the last word.
        var invoices = (await SyncStatuses.WaitingInvoices(db, realmId).AsNoTracking().Include(i => i.Lines).Include(i => i.Client)
                .Where(i => onlyInvoiceIds == null || onlyInvoiceIds.Contains(i.Id))
                .AsSplitQuery().ToListAsync(cancellationToken))
            .Where(i => Waits(recorder, SyncEntityType.Invoice, i.Id, SyncContent.Hash(i), neverNeedsSending: i.Status == InvoiceStatus.Void && i.SentAt == null))
            .OrderBy(i => i.Status == InvoiceStatus.Void ? 1 : 0).ThenBy(i => i.Id).ToList();
        var payments = (await SyncStatuses.WaitingPayments(db, realmId).AsNoTracking()
                .Where(p => onlyInvoiceIds == null || onlyInvoiceIds.Contains(p.InvoiceId)).ToListAsync(cancellationToken))
            .Where(p => Waits(recorder, SyncEntityType.Payment, p.Id, SyncContent.Hash(p))).ToList();
        var deletedPayments = onlyInvoiceIds is null ? await DeletedPaymentsAsync(db, recorder, cancellationToken) : [];

        // A payment needs its invoice in QuickBooks first; an invoice needs its client and items. An invoice voided
        // before it ever reached QuickBooks needs neither: at most an invoice of its number is voided there.
        var sending = invoices.Where(i => i.Status != InvoiceStatus.Void || recorder.QboIdOf(SyncEntityType.Invoice, i.Id) is not null).ToList();
        var clientIds = sending.Select(i => i.ClientId).ToHashSet();
        var itemIds = sending.SelectMany(i => i.Lines).Where(l => l.CatalogItemId != null).Select(l => l.CatalogItemId!.Value).ToHashSet();
        if (onlyInvoiceIds is null)
        {
            clientIds.UnionWith(recorder.Records.Where(r => r.EntityType == SyncEntityType.Client).Select(r => r.EntityId));
            itemIds.UnionWith(recorder.Records.Where(r => r.EntityType == SyncEntityType.CatalogItem).Select(r => r.EntityId));
        }

        var payingInvoiceIds = payments.Select(p => p.InvoiceId).Except(invoices.Select(i => i.Id)).ToList();
        clientIds.UnionWith(await db.Invoices.AsNoTracking().Where(i => payingInvoiceIds.Contains(i.Id)).Select(i => i.ClientId).ToListAsync(cancellationToken));
        var clients = (await db.Clients.AsNoTracking().Where(c => clientIds.Contains(c.Id)).ToListAsync(cancellationToken))
            .Where(c => Waits(recorder, SyncEntityType.Client, c.Id, SyncContent.Hash(c))).ToList();
        var items = (await db.CatalogItems.AsNoTracking().Where(c => itemIds.Contains(c.Id)).ToListAsync(cancellationToken))
            .Where(c => Waits(recorder, SyncEntityType.CatalogItem, c.Id, SyncContent.Hash(c))).ToList();
        return new SyncPlan { Items = items, Clients = clients, Invoices = invoices, Payments = payments, DeletedPayments = deletedPayments };
    }

    /// <summary>
    /// Payments deleted in Jobkore that QuickBooks holds: they are voided there. A deleted payment that never reached
    /// QuickBooks (nothing in doubt either) stands for nothing: its record goes, so it is not counted as failed.
    /// </summary>
    private static async Task<List<SyncRecord>> DeletedPaymentsAsync(JobkoreDbContext db, SyncRecorder recorder, CancellationToken cancellationToken)
    {
        var paymentRecords = recorder.Records.Where(r => r.EntityType == SyncEntityType.Payment && !recorder.InDoubt(r.EntityType, r.EntityId)).ToList();
        var ids = paymentRecords.Select(r => r.EntityId).ToList();
        var stillThere = (await db.Payments.Where(p => ids.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken)).ToHashSet();
        var gone = paymentRecords.Where(r => !stillThere.Contains(r.EntityId)).ToList();
        await recorder.DropAsync([.. gone.Where(r => r.QboId is null)]);
        return [.. gone.Where(r => r.QboId is not null)];
    }

    private static bool Waits(SyncRecorder recorder, SyncEntityType type, int id, string hash, bool neverNeedsSending = false) =>
        !recorder.InDoubt(type, id)
        && SyncStatuses.Derive(recorder.Existing(type, id), hash, neverNeedsSending) is SyncStatus.NotSynced or SyncStatus.Edited or SyncStatus.Failed;
}

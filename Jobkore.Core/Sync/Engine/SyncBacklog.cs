using System.Globalization;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Sync.Projection;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// What one run sends (docs/design.md §4), as ids only, so that it is known at the start however long the backlog is:
/// the waiting invoices (creates and updates first, voids after) and payments, the clients and catalog items that
/// wait and are needed by them (or, for a run of every waiting record, edited since they were linked), and the
/// payments deleted in Jobkore that QuickBooks still holds (in every run). The pending set names the candidates;
/// <see cref="SyncPages"/> loads the records a page at a time, and the hash of the loaded record has the last word.
/// Records with a request in doubt are left out: the journal resends that request first.
/// </summary>
internal sealed class SyncBacklog
{
    /// <summary>The waiting invoices, creates and updates first (by id), voids after.</summary>
    public required IReadOnlyList<int> InvoiceIds { get; init; }

    /// <summary>The waiting payments, by the invoice they pay.</summary>
    public required ILookup<int, int> PaymentsByInvoice { get; init; }

    /// <summary>Waiting clients that this run sends when an invoice or payment needs them, and, for a full run, anyway.</summary>
    public required IReadOnlySet<int> ClientIds { get; init; }

    /// <summary>Waiting catalog items, likewise.</summary>
    public required IReadOnlySet<int> ItemIds { get; init; }

    /// <summary>True for a run of every waiting record: the waiting clients and items no invoice of the run needs are sent too.</summary>
    public required bool Everything { get; init; }

    /// <summary>The payments removed in Jobkore that QuickBooks holds: every run voids them there.</summary>
    public required IReadOnlyList<RemovedPayment> DeletedPayments { get; init; }

    public int Total => InvoiceIds.Count + PaymentsByInvoice.Sum(g => g.Count()) + ClientIds.Count + ItemIds.Count + DeletedPayments.Count;

    /// <summary>The backlog of every waiting record, or of <paramref name="onlyInvoiceIds"/> with what they need.</summary>
    public static async Task<SyncBacklog> LoadAsync(JobkoreDbContext db, SyncRecorder recorder, string realmId, IReadOnlyCollection<int>? onlyInvoiceIds,
        CancellationToken cancellationToken)
    {
        var waitingInvoices = SyncStatuses.WaitingIds(db, realmId, SyncEntityType.Invoice);
        var waitingPayments = SyncStatuses.WaitingIds(db, realmId, SyncEntityType.Payment);
        var invoices = (await db.Invoices.Where(i => waitingInvoices.Contains(i.Id))
                .Where(i => onlyInvoiceIds == null || onlyInvoiceIds.Contains(i.Id))
                .Select(i => new { i.Id, i.ClientId, Voided = i.Status == InvoiceStatus.Void, VoidedDraft = i.Status == InvoiceStatus.Void && i.SentAt == null, Hash = EF.Property<string?>(i, SyncHashProperty.Name) })
                .ToListAsync(cancellationToken))
            .Where(i => Waits(recorder, SyncEntityType.Invoice, i.Id, i.Hash, i.VoidedDraft))
            .OrderBy(i => i.Voided ? 1 : 0).ThenBy(i => i.Id).ToList();
        var payments = (await db.Payments.Where(p => waitingPayments.Contains(p.Id))
                .Where(p => onlyInvoiceIds == null || onlyInvoiceIds.Contains(p.InvoiceId))
                .Select(p => new { p.Id, p.InvoiceId, Hash = EF.Property<string?>(p, SyncHashProperty.Name) }).ToListAsync(cancellationToken))
            .Where(p => Waits(recorder, SyncEntityType.Payment, p.Id, p.Hash)).ToList();
        // Every run voids them, a run of chosen invoices too: an invoice voided in Jobkore once its payment was removed can
        // be voided in QuickBooks only once that payment is (and a deleted payment's record names no invoice to choose by).
        var deletedPayments = await DeletedPaymentsAsync(db, recorder, realmId, cancellationToken);

        // An invoice needs its client and items; a payment, its invoice's client. An invoice voided before it ever
        // reached QuickBooks needs neither: at most an invoice of its number is voided there.
        var sending = invoices.Where(i => !i.Voided || recorder.QboIdOf(SyncEntityType.Invoice, i.Id) is not null).ToList();
        var sendingIds = sending.Select(i => i.Id).ToList();
        var clientIds = sending.Select(i => i.ClientId).ToHashSet();
        var itemIds = (await db.Set<InvoiceLine>().Where(l => sendingIds.Contains(l.InvoiceId) && l.CatalogItemId != null).Select(l => l.CatalogItemId!.Value)
            .Distinct().ToListAsync(cancellationToken)).ToHashSet();
        var payingInvoiceIds = payments.Select(p => p.InvoiceId).Except(invoices.Select(i => i.Id)).Distinct().ToList();
        clientIds.UnionWith(await db.Invoices.Where(i => payingInvoiceIds.Contains(i.Id)).Select(i => i.ClientId).Distinct().ToListAsync(cancellationToken));
        if (onlyInvoiceIds is null)
        {
            clientIds.UnionWith(recorder.Records.Where(r => r.EntityType == SyncEntityType.Client).Select(r => r.EntityId));
            itemIds.UnionWith(recorder.Records.Where(r => r.EntityType == SyncEntityType.CatalogItem).Select(r => r.EntityId));
        }

        var clients = (await db.Clients.Where(c => clientIds.Contains(c.Id)).Select(c => new { c.Id, Hash = EF.Property<string?>(c, SyncHashProperty.Name) }).ToListAsync(cancellationToken))
            .Where(c => Waits(recorder, SyncEntityType.Client, c.Id, c.Hash)).Select(c => c.Id).ToHashSet();
        var items = (await db.CatalogItems.Where(c => itemIds.Contains(c.Id)).Select(c => new { c.Id, Hash = EF.Property<string?>(c, SyncHashProperty.Name) }).ToListAsync(cancellationToken))
            .Where(c => Waits(recorder, SyncEntityType.CatalogItem, c.Id, c.Hash)).Select(c => c.Id).ToHashSet();
        return new SyncBacklog
        {
            InvoiceIds = [.. invoices.Select(i => i.Id)],
            PaymentsByInvoice = payments.ToLookup(p => p.InvoiceId, p => p.Id),
            ClientIds = clients,
            ItemIds = items,
            Everything = onlyInvoiceIds is null,
            DeletedPayments = deletedPayments,
        };
    }

    /// <summary>Whether a record waits, from its sync record and a content hash (stored, or of the loaded record).</summary>
    public static bool Waits(SyncRecorder recorder, SyncEntityType type, int id, string? hash, bool neverNeedsSending = false) =>
        !recorder.InDoubt(type, id)
        && SyncStatuses.Derive(recorder.Existing(type, id), hash, neverNeedsSending).IsWaiting();

    /// <summary>
    /// Payments deleted in Jobkore that QuickBooks holds: they are voided there. A deleted payment that never reached
    /// QuickBooks (nothing in doubt either) stands for nothing: its record goes, so it is not counted as failed.
    /// </summary>
    private static async Task<List<RemovedPayment>> DeletedPaymentsAsync(JobkoreDbContext db, SyncRecorder recorder, string realmId, CancellationToken cancellationToken)
    {
        // In SQL, as the records whose payment is gone: a run of one invoice should not read every payment's id.
        var gone = await db.SyncRecords.Where(r => r.RealmId == realmId && r.EntityType == SyncEntityType.Payment && !db.Payments.Any(p => p.Id == r.EntityId))
            .Select(r => new { r.EntityId, InvoiceNumber = db.Invoices.Where(i => i.Id == r.PaidInvoiceId).Select(i => i.Number).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        var removed = gone.Where(g => !recorder.InDoubt(SyncEntityType.Payment, g.EntityId))
            .Select(g => recorder.Existing(SyncEntityType.Payment, g.EntityId) is { } record ? new RemovedPayment(record, g.InvoiceNumber) : null).OfType<RemovedPayment>().ToList();
        await recorder.DropAsync([.. removed.Where(r => r.Record.QboId is null).Select(r => r.Record)]);
        return [.. removed.Where(r => r.Record.QboId is not null)];
    }
}

/// <summary>A payment removed in Jobkore: its sync record, and the number of the invoice it paid (null when not known).</summary>
internal sealed record RemovedPayment(SyncRecord Record, string? InvoiceNumber)
{
    /// <summary>How messages name it: "the payment of 962.64 on 2026-11-03 removed from invoice INV-1042 in Jobkore", with what is known.</summary>
    public SyncSubject Subject
    {
        get
        {
            var held = QboOwnedValues.FromJson(Record.QboFields);
            var amount = held?["amount"] is { } a && decimal.TryParse(a, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
                ? string.Create(CultureInfo.InvariantCulture, $" of {value:0.00}") : string.Empty;
            var date = held?["date"] is { Length: > 0 } d ? $" on {d}" : string.Empty;
            var from = InvoiceNumber is null ? string.Empty : $" from invoice {InvoiceNumber}";
            return new SyncSubject("payment", null, $"the payment{amount}{date} removed{from} in Jobkore");
        }
    }
}

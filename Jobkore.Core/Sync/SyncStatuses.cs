using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Mappings;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync;

/// <summary>
/// Derives sync statuses for one company from the records' content hashes and their sync records (DESIGN.md §4), in
/// SQL, so the waiting count stays one query however many invoices there are.
/// </summary>
public sealed class SyncStatuses(IDbContextFactory<JobkoreDbContext> dbFactory)
{
    /// <summary>Invoices and payments that are not synced, edited or failed; failed ones are counted apart as well.</summary>
    public async Task<PendingCount> PendingCountAsync(string realmId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realmId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var records = db.SyncRecords.Where(r => r.RealmId == realmId);

        var invoices = await db.Invoices
            .Where(i => i.Status != InvoiceStatus.Draft)
            .Where(i => !records.Any(r => r.EntityType == SyncEntityType.Invoice && r.EntityId == i.Id && !r.Failed
                && ((r.QboId != null && r.PushedHash == EF.Property<string>(i, SyncHashes.PropertyName))
                    || (r.QboId == null && i.Status == InvoiceStatus.Void))))
            .Where(i => i.Status != InvoiceStatus.Void || records.Any(r => r.EntityType == SyncEntityType.Invoice && r.EntityId == i.Id && (r.QboId != null || r.Failed)))
            .CountAsync(cancellationToken);
        var payments = await db.Payments
            .Where(p => !records.Any(r => r.EntityType == SyncEntityType.Payment && r.EntityId == p.Id && !r.Failed
                && r.QboId != null && r.PushedHash == EF.Property<string>(p, SyncHashes.PropertyName)))
            .CountAsync(cancellationToken);
        var failed = await records.CountAsync(r => r.Failed && (r.EntityType == SyncEntityType.Invoice || r.EntityType == SyncEntityType.Payment), cancellationToken);
        return new PendingCount(invoices + payments, failed);
    }

    /// <summary>The status of each of the given invoices.</summary>
    public async Task<IReadOnlyDictionary<int, SyncStatus>> ForInvoicesAsync(string realmId, IReadOnlyCollection<int> invoiceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoiceIds);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Invoices.Where(i => invoiceIds.Contains(i.Id))
            .Select(i => new
            {
                i.Id,
                Hash = EF.Property<string?>(i, SyncHashes.PropertyName),
                Voided = i.Status == InvoiceStatus.Void,
                Record = db.SyncRecords.FirstOrDefault(r => r.RealmId == realmId && r.EntityType == SyncEntityType.Invoice && r.EntityId == i.Id),
            })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => Derive(r.Record, r.Hash, neverNeedsSending: r.Voided));
    }

    /// <summary>
    /// One invoice's sync state with the connected company, with the message to show when it failed or differs; null
    /// when QuickBooks is not connected (nothing to show).
    /// </summary>
    public async Task<InvoiceSyncView?> ForInvoiceAsync(int invoiceId, CancellationToken cancellationToken) =>
        (await ViewsForInvoicesAsync([invoiceId], cancellationToken))?.GetValueOrDefault(invoiceId);

    /// <summary>The sync state of each of a page of invoices, in two queries; null when QuickBooks is not connected.</summary>
    public async Task<IReadOnlyDictionary<int, InvoiceSyncView>?> ViewsForInvoicesAsync(IReadOnlyCollection<int> invoiceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoiceIds);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var realmId = await db.QuickBooksConnections.Where(c => c.Status != QuickBooks.Connections.QuickBooksConnectionStatus.Disconnected)
            .Select(c => c.RealmId).SingleOrDefaultAsync(cancellationToken);
        if (realmId is null)
        {
            return null;
        }

        var invoices = await db.Invoices.Where(i => invoiceIds.Contains(i.Id))
            .Select(i => new { i.Id, Hash = EF.Property<string?>(i, SyncHashes.PropertyName), Voided = i.Status == InvoiceStatus.Void, Draft = i.Status == InvoiceStatus.Draft })
            .ToListAsync(cancellationToken);
        var records = await db.SyncRecords.AsNoTracking()
            .Where(r => r.RealmId == realmId && r.EntityType == SyncEntityType.Invoice && invoiceIds.Contains(r.EntityId))
            .ToDictionaryAsync(r => r.EntityId, cancellationToken);
        return invoices.ToDictionary(i => i.Id, i =>
        {
            var record = records.GetValueOrDefault(i.Id);
            var status = Derive(record, i.Hash, neverNeedsSending: i.Voided);
            var message = status switch
            {
                SyncStatus.Failed => record!.LastError,
                SyncStatus.Warning => record!.Warning,
                SyncStatus.NotSynced when i.Draft => "Drafts are sent to QuickBooks once they are marked as sent.",
                SyncStatus.UpToDate when record is null && i.Voided => "Voided before it reached QuickBooks: nothing needed sending.",
                _ => null,
            };
            return new InvoiceSyncView(status, message, record?.QboId);
        });
    }

    /// <summary>The status of one record from its sync record (if any) and its current content hash.</summary>
    public static SyncStatus Derive(SyncRecord? record, string? currentHash, bool neverNeedsSending = false) => record switch
    {
        { Failed: true } => SyncStatus.Failed,
        { QboId: not null } when record.PushedHash is not null && record.PushedHash == currentHash => record.Warning is null ? SyncStatus.UpToDate : SyncStatus.Warning,
        { QboId: not null } => SyncStatus.Edited,
        _ when neverNeedsSending => SyncStatus.UpToDate,
        _ => SyncStatus.NotSynced,
    };
}

/// <summary>An invoice's sync state for its page: status, the message to show (failure, warning, explanation) and its QBO id.</summary>
public sealed record InvoiceSyncView(SyncStatus Status, string? Message, string? QboId);

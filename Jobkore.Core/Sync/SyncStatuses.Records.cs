using Jobkore.Core.Data;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync;

/// <summary>Statuses of the records that travel with invoices: clients, catalog items and payments.</summary>
public sealed partial class SyncStatuses
{
    /// <summary>
    /// The sync state of each of a page of clients, catalog items or payments, in three small queries; null when
    /// QuickBooks is not connected. Ids that no longer exist are left out. Invoices have their own rules (drafts,
    /// voids): see <see cref="ViewsForInvoicesAsync"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, SyncView>?> ViewsAsync(SyncEntityType type, IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        _ = NotSyncedMessage(type); // refuses invoices, which have their own rules, connected or not
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var realmId = await ConnectedRealmAsync(db, cancellationToken);
        return realmId is null ? null : await ViewsAsync(db, realmId, type, ids, cancellationToken);
    }

    private static async Task<Dictionary<int, SyncView>> ViewsAsync(JobkoreDbContext db, string realmId, SyncEntityType type, IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        var notSyncedMessage = NotSyncedMessage(type);
        var hashes = await HashesAsync(db, type, ids, cancellationToken);
        var keptOut = (await KeptOutAsync(db, realmId, type, ids, cancellationToken)).ToHashSet();
        var records = await db.SyncRecords.AsNoTracking()
            .Where(r => r.RealmId == realmId && r.EntityType == type && ids.Contains(r.EntityId))
            .ToDictionaryAsync(r => r.EntityId, cancellationToken);
        return hashes.ToDictionary(h => h.Key, h =>
        {
            var record = records.GetValueOrDefault(h.Key);
            var status = Derive(record, h.Value, keptOut: keptOut.Contains(h.Key));
            var message = status switch
            {
                SyncStatus.KeptOut => KeptOutMessage(type == SyncEntityType.Client ? "client" : "payment"),
                SyncStatus.Failed => record!.LastError,
                SyncStatus.Warning => record!.Warning,
                SyncStatus.NotSynced => notSyncedMessage,
                _ => DriftMessage(status, record, type switch { SyncEntityType.Client => "client", SyncEntityType.CatalogItem => "catalog item", _ => "payment" }),
            };
            return new SyncView(status, message, record?.QboId)
            {
                Differences = DifferencesOf(status, record),
                ErrorCode = status == SyncStatus.Failed ? record!.LastErrorCode : null,
                FailedAt = status == SyncStatus.Failed ? record!.LastAttemptAt : null,
            };
        });
    }

    /// <summary>Why a record of this type has not reached QuickBooks yet: it goes with an invoice, not on its own.</summary>
    private static string? NotSyncedMessage(SyncEntityType type) => type switch
    {
        SyncEntityType.Client => "Sent to QuickBooks with its first invoice.",
        SyncEntityType.CatalogItem => "Sent to QuickBooks with the first invoice that uses it.",
        SyncEntityType.Payment => null,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Invoices have their own statuses: use ViewsForInvoicesAsync."),
    };

    /// <summary>Which of the given records are kept out of QuickBooks with their client (none of the catalog items: they go with other clients' invoices).</summary>
    private static Task<List<int>> KeptOutAsync(JobkoreDbContext db, string realmId, SyncEntityType type, IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        var keptOut = KeptOutClients(db, realmId);
        return type switch
        {
            SyncEntityType.Client => keptOut.Where(id => ids.Contains(id)).ToListAsync(cancellationToken),
            SyncEntityType.Payment => db.Payments.Where(p => ids.Contains(p.Id) && keptOut.Contains(p.Invoice!.ClientId)).Select(p => p.Id).ToListAsync(cancellationToken),
            _ => Task.FromResult(new List<int>()),
        };
    }

    /// <summary>The stored content hash of each of the given records.</summary>
    private static Task<Dictionary<int, string?>> HashesAsync(JobkoreDbContext db, SyncEntityType type, IReadOnlyCollection<int> ids, CancellationToken cancellationToken) => type switch
    {
        SyncEntityType.Client => db.Clients.Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, Hash = EF.Property<string?>(c, SyncHashProperty.Name) }).ToDictionaryAsync(h => h.Id, h => h.Hash, cancellationToken),
        SyncEntityType.CatalogItem => db.CatalogItems.Where(i => ids.Contains(i.Id))
            .Select(i => new { i.Id, Hash = EF.Property<string?>(i, SyncHashProperty.Name) }).ToDictionaryAsync(h => h.Id, h => h.Hash, cancellationToken),
        SyncEntityType.Payment => db.Payments.Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, Hash = EF.Property<string?>(p, SyncHashProperty.Name) }).ToDictionaryAsync(h => h.Id, h => h.Hash, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Invoices have their own statuses: use ViewsForInvoicesAsync."),
    };
}

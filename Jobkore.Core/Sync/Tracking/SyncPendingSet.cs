using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync.Tracking;

/// <summary>
/// Derives the pending set (<see cref="SyncPendingEntry"/>) of a company from the records' stored content hashes and
/// their sync records, by <see cref="SyncStatuses.Derive"/> and <see cref="SyncStatusExtensions.IsWaiting"/>: the same
/// rule the pages' badges and the engine use, so "waiting" is written once.
/// </summary>
internal static class SyncPendingSet
{
    /// <summary>The syncable types, in the order a rebuild derives them.</summary>
    public static readonly SyncEntityType[] Types = [SyncEntityType.Invoice, SyncEntityType.Payment, SyncEntityType.Client, SyncEntityType.CatalogItem];

    /// <summary>The entries the given records of <paramref name="type"/> should have with <paramref name="realmId"/> (every record of the type when <paramref name="ids"/> is null); records that do not exist have none.</summary>
    public static async Task<List<SyncPendingEntry>> DeriveAsync(JobkoreDbContext db, string realmId, SyncEntityType type, IReadOnlyCollection<int>? ids, CancellationToken cancellationToken)
    {
        var states = await StatesAsync(db, realmId, type, ids, cancellationToken);
        var records = db.SyncRecords.AsNoTracking().Where(r => r.RealmId == realmId && r.EntityType == type);
        var byId = await (ids is null ? records : records.Where(r => ids.Contains(r.EntityId))).ToDictionaryAsync(r => r.EntityId, cancellationToken);
        var removedPayments = type == SyncEntityType.Invoice ? await SyncStatuses.RemovedPaymentsOf(db, realmId, ids, cancellationToken) : [];
        var entries = new List<SyncPendingEntry>();
        foreach (var state in states)
        {
            var status = SyncStatuses.Derive(byId.GetValueOrDefault(state.Id), state.Hash, state.NeverNeedsSending, state.KeptOut, removedPayments.GetValueOrDefault(state.Id));
            var waiting = status.IsWaiting() && !state.Draft;
            if (waiting || status.IsFlagged())
            {
                entries.Add(new SyncPendingEntry(db.CurrentBusinessId, realmId, type, state.Id, waiting, waiting && status == SyncStatus.Failed, status.IsFlagged()));
            }
        }

        return entries;
    }

    /// <summary>
    /// What the status of a record depends on besides its sync record: its content hash, for an invoice whether it is
    /// a draft or a voided draft, and whether its client is kept out of QuickBooks.
    /// </summary>
    private sealed record State(int Id, string? Hash, bool Draft, bool NeverNeedsSending, bool KeptOut);

    private static Task<List<State>> StatesAsync(JobkoreDbContext db, string realmId, SyncEntityType type, IReadOnlyCollection<int>? ids, CancellationToken cancellationToken)
    {
        var keptOut = SyncStatuses.KeptOutClients(db, realmId);
        return type switch
        {
            SyncEntityType.Invoice => (ids is null ? db.Invoices : db.Invoices.Where(i => ids.Contains(i.Id)))
                .Select(i => new State(i.Id, EF.Property<string?>(i, SyncHashProperty.Name), i.Status == InvoiceStatus.Draft, i.Status == InvoiceStatus.Void && i.SentAt == null,
                    keptOut.Contains(i.ClientId)))
                .ToListAsync(cancellationToken),
            SyncEntityType.Payment => (ids is null ? db.Payments : db.Payments.Where(p => ids.Contains(p.Id)))
                .Select(p => new State(p.Id, EF.Property<string?>(p, SyncHashProperty.Name), false, false, keptOut.Contains(p.Invoice!.ClientId))).ToListAsync(cancellationToken),
            SyncEntityType.Client => (ids is null ? db.Clients : db.Clients.Where(c => ids.Contains(c.Id)))
                .Select(c => new State(c.Id, EF.Property<string?>(c, SyncHashProperty.Name), false, false, keptOut.Contains(c.Id))).ToListAsync(cancellationToken),
            SyncEntityType.CatalogItem => (ids is null ? db.CatalogItems : db.CatalogItems.Where(i => ids.Contains(i.Id)))
                .Select(i => new State(i.Id, EF.Property<string?>(i, SyncHashProperty.Name), false, false, false)).ToListAsync(cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a syncable type."),
        };
    }
}

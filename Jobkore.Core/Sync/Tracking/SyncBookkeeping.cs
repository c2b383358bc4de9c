using System.Data.Common;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Jobkore.Core.Sync.Tracking;

/// <summary>
/// The sync's side of every save (<see cref="ISyncBookkeeping"/>): keeps the pending set in step with the records and
/// their sync records in the save's own transaction, and hands what a committed save changed to
/// <see cref="SyncStateFeed"/>, which tells the screens. The one place record changes are published from.
/// </summary>
internal sealed class SyncBookkeeping(JobkoreDatabase database, SyncStateFeed feed) : DbTransactionInterceptor, ISyncBookkeeping
{
    /// <summary>Any number; with the business id it names the lock that orders the pending set's updates of one business on PostgreSQL.</summary>
    private const int PendingLockKey = 0x4A6B5053; // "JkPS"

    public SyncSaveChanges? Collect(JobkoreDbContext db)
    {
        var entries = new List<SyncSaveChanges.Entry>();
        var connectionChanged = false;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            switch (entry.Entity)
            {
                case Client or CatalogItem or Invoice or Payment or SyncRecord or CustomerMatch:
                    entries.Add(new(entry.Entity, entry.State));
                    break;
                case QuickBooksConnection when ChangesCompany(entry):
                    connectionChanged = true;
                    break;
            }
        }

        return entries.Count == 0 && !connectionChanged ? null : new SyncSaveChanges(entries, connectionChanged);
    }

    public async Task KeepInStepAsync(JobkoreDbContext db, SyncSaveChanges changes, CancellationToken cancellationToken)
    {
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            // Each save derives from what is committed when it reads: one at a time per business, so of two saves
            // touching one record (an edit and a push) the second to commit reads the first's rows.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({PendingLockKey}, {db.CurrentBusinessId})", cancellationToken);
        }

        var realmId = await SyncStatuses.ConnectedRealmAsync(db, cancellationToken);
        if (changes.DeriveAll)
        {
            await db.SyncPending.ExecuteDeleteAsync(cancellationToken);
            if (realmId is not null)
            {
                foreach (var type in SyncPendingSet.Types)
                {
                    await AddAsync(db, await SyncPendingSet.DeriveAsync(db, realmId, type, null, cancellationToken), cancellationToken);
                }
            }

            return;
        }

        if (realmId is null)
        {
            return;
        }

        changes.Followers.Clear();
        var reviewed = changes.Entries.Select(e => e.Entity).OfType<CustomerMatch>().Where(m => m.RealmId == realmId).Select(m => m.ClientId).Distinct().ToList();
        if (reviewed.Count > 0)
        {
            // Whether a client is kept out of QuickBooks decides its invoices' and payments' entries too.
            changes.Followers.AddRange((await db.Invoices.Where(i => reviewed.Contains(i.ClientId)).Select(i => i.Id).ToListAsync(cancellationToken)).Select(id => (SyncEntityType.Invoice, id)));
            changes.Followers.AddRange((await db.Payments.Where(p => reviewed.Contains(p.Invoice!.ClientId)).Select(p => p.Id).ToListAsync(cancellationToken)).Select(id => (SyncEntityType.Payment, id)));
        }

        await AddInvoicesOfRemovedPaymentsAsync(db, changes, realmId, cancellationToken);

        foreach (var group in Keys(changes, realmId).Concat(changes.Followers).GroupBy(k => k.Type))
        {
            var ids = group.Select(k => k.Id).Distinct().ToList();
            await db.SyncPending.Where(e => e.RealmId == realmId && e.EntityType == group.Key && ids.Contains(e.EntityId)).ExecuteDeleteAsync(cancellationToken);
            await AddAsync(db, await SyncPendingSet.DeriveAsync(db, realmId, group.Key, ids, cancellationToken), cancellationToken);
        }
    }

    /// <summary>
    /// A payment's invoice shows the payment once it is removed, until QuickBooks has voided it (SyncStatuses.Derive): a
    /// removed payment, and a change to the sync record of one, change its invoice's entry. The sync records of payments
    /// Jobkore still has do not, so a run's saves derive no invoice for them.
    /// </summary>
    private static async Task AddInvoicesOfRemovedPaymentsAsync(JobkoreDbContext db, SyncSaveChanges changes, string realmId, CancellationToken cancellationToken)
    {
        changes.Followers.AddRange(changes.Entries.Where(e => e.State == EntityState.Deleted).Select(e => e.Entity).OfType<Payment>().Select(p => (SyncEntityType.Invoice, p.InvoiceId)));
        var paymentRecords = changes.Entries.Select(e => e.Entity).OfType<SyncRecord>()
            .Where(r => r is { EntityType: SyncEntityType.Payment, PaidInvoiceId: not null } && r.RealmId == realmId).ToList();
        if (paymentRecords.Count == 0)
        {
            return;
        }

        var ids = paymentRecords.Select(r => r.EntityId).ToList();
        var live = (await db.Payments.Where(p => ids.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken)).ToHashSet();
        changes.Followers.AddRange(paymentRecords.Where(r => !live.Contains(r.EntityId)).Select(r => (SyncEntityType.Invoice, r.PaidInvoiceId!.Value)));
    }

    public void Committed(int businessId, IReadOnlyList<SyncSaveChanges> changes) => feed.Add(businessId, [.. changes.SelectMany(Changed)]);

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Ended(eventData, committed: false);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        Ended(eventData, committed: false);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData, committed: true);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData, committed: true);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData, committed: false);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData, committed: false);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Ended(eventData, committed: false);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData, committed: false);
        return Task.CompletedTask;
    }

    /// <summary>A transaction ended, or a new one started (what a transaction disposed without committing left is forgotten then).</summary>
    private static void Ended(DbContextEventData eventData, bool committed) => (eventData.Context as JobkoreDbContext)?.TransactionEnded(committed);

    /// <summary>Which company's records are pending may change: one was connected, disconnected, or another chosen (a token refresh changes nothing).</summary>
    private static bool ChangesCompany(EntityEntry entry)
    {
        if (entry.State != EntityState.Modified)
        {
            return true;
        }

        var realm = entry.Property(nameof(QuickBooksConnection.RealmId));
        var status = entry.Property(nameof(QuickBooksConnection.Status));
        return realm.IsModified
            || (status.IsModified && ((QuickBooksConnectionStatus)status.OriginalValue! == QuickBooksConnectionStatus.Disconnected) != ((QuickBooksConnectionStatus)status.CurrentValue! == QuickBooksConnectionStatus.Disconnected));
    }

    /// <summary>The records whose entries may change: the records saved, and those whose sync record with the connected company was saved.</summary>
    private static IEnumerable<(SyncEntityType Type, int Id)> Keys(SyncSaveChanges changes, string realmId) =>
        changes.Entries.Select(e => e.Entity switch
        {
            SyncRecord r when r.RealmId != realmId => ((SyncEntityType Type, int Id)?)null,
            CustomerMatch m when m.RealmId != realmId => null,
            var entity => Key(entity),
        }).OfType<(SyncEntityType, int)>();

    private static (SyncEntityType Type, int Id) Key(object entity) => entity switch
    {
        Client c => (SyncEntityType.Client, c.Id),
        CatalogItem i => (SyncEntityType.CatalogItem, i.Id),
        Invoice i => (SyncEntityType.Invoice, i.Id),
        Payment p => (SyncEntityType.Payment, p.Id),
        SyncRecord r => (r.EntityType, r.EntityId),
        CustomerMatch m => (SyncEntityType.Client, m.ClientId),
        _ => throw new InvalidOperationException($"{entity.GetType().Name} is not a syncable record."),
    };

    /// <summary>What a committed save did to each record, as the screens hear it.</summary>
    private static IEnumerable<SyncRecordChange> Changed(SyncSaveChanges changes) => changes.Entries.Select(e =>
    {
        var (type, id) = Key(e.Entity);
        var kind = e.Entity is SyncRecord or CustomerMatch ? SyncRecordChangeKind.Status : e.State switch
        {
            EntityState.Added => SyncRecordChangeKind.Added,
            EntityState.Deleted => SyncRecordChangeKind.Removed,
            _ => SyncRecordChangeKind.Edited,
        };
        return new SyncRecordChange(type, id, kind, null, (e.Entity as Payment)?.InvoiceId);
    }).Concat(changes.Followers.Select(f => new SyncRecordChange(f.Type, f.Id, SyncRecordChangeKind.Status, null, null)));

    private static async Task AddAsync(JobkoreDbContext db, List<SyncPendingEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        db.SyncPending.AddRange(entries);
        await db.SaveDerivedAsync(cancellationToken);
        foreach (var entry in entries)
        {
            db.Entry(entry).State = EntityState.Detached;
        }
    }
}

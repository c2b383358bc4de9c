using Jobkore.Core.Domain;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Jobkore.Core.Sync.Tracking;

/// <summary>After a save commits, tells the notifier which syncable records it changed, so open screens update.</summary>
internal sealed class SyncChangesInterceptor(SyncNotifier notifier) : SaveChangesInterceptor
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, List<object>> _changed = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Collect(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Collect(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Publish(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Publish(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        _changed.AddOrUpdate(context, [.. context.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && e.Entity is Client or CatalogItem or Invoice or Payment or SyncRecord)
            .Select(e => e.Entity)]);
    }

    private void Publish(DbContext? context)
    {
        if (context is null || !_changed.TryGetValue(context, out var changed))
        {
            return;
        }

        _changed.Remove(context);
        foreach (var entity in changed)
        {
            var (business, type, id) = entity switch
            {
                Client c => (c.BusinessId, SyncEntityType.Client, c.Id),
                CatalogItem i => (i.BusinessId, SyncEntityType.CatalogItem, i.Id),
                Invoice i => (i.BusinessId, SyncEntityType.Invoice, i.Id),
                Payment p => (p.BusinessId, SyncEntityType.Payment, p.Id),
                SyncRecord r => (r.BusinessId, r.EntityType, r.EntityId),
                _ => throw new InvalidOperationException($"{entity.GetType().Name} is not a syncable record."),
            };
            notifier.Publish(new SyncStatusChanged(business, type, id));
        }
    }
}

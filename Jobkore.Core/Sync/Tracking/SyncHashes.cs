using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync.Tracking;

/// <summary>
/// Keeps each syncable record's content hash (<see cref="SyncContent"/>) current in the same SaveChanges as the change
/// itself, so "Edited since last sync" is a plain comparison with the pushed hash.
/// </summary>
internal sealed class SyncHashes : IContentHashes
{
    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<object>> UpdateAsync(JobkoreDbContext db, CancellationToken cancellationToken)
    {
        var provisional = new List<object>();
        var tracker = db.ChangeTracker;
        tracker.DetectChanges();
        var invoices = new HashSet<Invoice>();
        foreach (var entry in tracker.Entries().ToList())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            switch (entry.Entity)
            {
                case Client client when entry.State != EntityState.Deleted:
                    Set(entry, SyncContent.Hash(client));
                    break;
                case CatalogItem item when entry.State != EntityState.Deleted:
                    Set(entry, SyncContent.Hash(item));
                    break;
                case Payment payment when entry.State != EntityState.Deleted:
                    if (entry.Property(nameof(Payment.InvoiceId)).IsTemporary)
                    {
                        provisional.Add(payment);
                    }

                    Set(entry, SyncContent.Hash(payment));
                    break;
                case Invoice invoice when entry.State != EntityState.Deleted:
                    invoices.Add(invoice);
                    break;
                case InvoiceLine line when tracker.Entries<Invoice>().FirstOrDefault(i => i.Entity.Id == line.InvoiceId && line.InvoiceId != 0) is { State: not EntityState.Deleted } owner:
                    invoices.Add(owner.Entity);
                    break;
            }
        }

        foreach (var invoice in invoices)
        {
            var entry = db.Entry(invoice);
            var lines = entry.Collection(i => i.Lines);
            if (!lines.IsLoaded && entry.State != EntityState.Added)
            {
                await lines.LoadAsync(cancellationToken);
            }

            if (entry.Property(i => i.ClientId).IsTemporary || invoice.Lines.Any(l => db.Entry(l).Property(x => x.CatalogItemId).IsTemporary))
            {
                provisional.Add(invoice);
            }

            Set(entry, SyncContent.Hash(invoice));
        }

        return provisional;
    }

    /// <inheritdoc/>
    public void Rehash(JobkoreDbContext db, IEnumerable<object> records)
    {
        foreach (var record in records)
        {
            var entry = db.Entry(record);
            Set(entry, record switch
            {
                Invoice invoice => SyncContent.Hash(invoice),
                Payment payment => SyncContent.Hash(payment),
                _ => throw new ArgumentException($"{record.GetType().Name} has no provisional hash.", nameof(records)),
            });
        }
    }

    private static void Set(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry, string hash)
    {
        var property = entry.Property(SyncHashProperty.Name);
        if (!Equals(property.CurrentValue, hash))
        {
            property.CurrentValue = hash;
        }
    }
}

using Jobkore.Core.Domain;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class SyncPendingEntryConfiguration : IEntityTypeConfiguration<SyncPendingEntry>
{
    public void Configure(EntityTypeBuilder<SyncPendingEntry> builder)
    {
        builder.ToTable("SyncPending");
        builder.HasKey(e => new { e.BusinessId, e.RealmId, e.EntityType, e.EntityId });
        builder.HasOne<Business>().WithMany().HasForeignKey(e => e.BusinessId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.RealmId).HasMaxLength(50);
    }
}

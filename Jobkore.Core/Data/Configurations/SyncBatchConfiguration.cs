using Jobkore.Core.Domain;
using Jobkore.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class SyncBatchConfiguration : IEntityTypeConfiguration<SyncBatch>
{
    public void Configure(EntityTypeBuilder<SyncBatch> builder)
    {
        builder.HasOne<Business>().WithMany().HasForeignKey(b => b.BusinessId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(b => new { b.BusinessId, b.RealmId });
        builder.Property(b => b.RealmId).HasMaxLength(50);
        builder.Property(b => b.RequestId).HasMaxLength(50);
    }
}

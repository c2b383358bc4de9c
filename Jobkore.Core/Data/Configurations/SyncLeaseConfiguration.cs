using Jobkore.Core.Domain;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class SyncLeaseConfiguration : IEntityTypeConfiguration<SyncLease>
{
    public void Configure(EntityTypeBuilder<SyncLease> builder)
    {
        builder.HasKey(l => l.BusinessId);
        builder.Property(l => l.BusinessId).ValueGeneratedNever();
        builder.HasOne<Business>().WithMany().HasForeignKey(l => l.BusinessId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(l => l.Holder).HasMaxLength(100);
    }
}

using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Mappings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class SyncRecordConfiguration : IEntityTypeConfiguration<SyncRecord>
{
    public void Configure(EntityTypeBuilder<SyncRecord> builder)
    {
        builder.HasOne<Business>().WithMany().HasForeignKey(r => r.BusinessId).OnDelete(DeleteBehavior.Cascade);

        // One record per document and company.
        builder.HasIndex(r => new { r.BusinessId, r.RealmId, r.EntityType, r.EntityId }).IsUnique();
        builder.Property(r => r.RealmId).HasMaxLength(50);
        builder.Property(r => r.QboId).HasMaxLength(50);
        builder.Property(r => r.QboSyncToken).HasMaxLength(20);
    }
}

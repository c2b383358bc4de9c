using Jobkore.Core.Domain;
using Jobkore.Core.SyncState;
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
        builder.Property(r => r.PushedHash).HasMaxLength(SyncHashProperty.MaxLength);
        builder.Property(r => r.LastError).HasMaxLength(2000);
        builder.Property(r => r.LastErrorCode).HasMaxLength(20);
        builder.Property(r => r.LastIntuitTid).HasMaxLength(100);
        builder.Property(r => r.Warning).HasMaxLength(500);
        builder.Property(r => r.QboHash).HasMaxLength(64);

        // A change in QuickBooks names its record by QuickBooks id.
        builder.HasIndex(r => new { r.RealmId, r.EntityType, r.QboId });

        // A removed payment that QuickBooks still holds is shown on its invoice.
        builder.HasIndex(r => new { r.BusinessId, r.RealmId, r.EntityType, r.PaidInvoiceId });
    }
}

internal sealed class SyncAttemptConfiguration : IEntityTypeConfiguration<SyncAttempt>
{
    public void Configure(EntityTypeBuilder<SyncAttempt> builder)
    {
        builder.HasOne<Business>().WithMany().HasForeignKey(a => a.BusinessId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.BusinessId, a.EntityType, a.EntityId, a.At });
        builder.Property(a => a.RealmId).HasMaxLength(50);
        builder.Property(a => a.Operation).HasMaxLength(20);
        builder.Property(a => a.QboId).HasMaxLength(50);
        builder.Property(a => a.ErrorCode).HasMaxLength(20);
        builder.Property(a => a.ErrorMessage).HasMaxLength(2000);
        builder.Property(a => a.IntuitTid).HasMaxLength(100);
    }
}

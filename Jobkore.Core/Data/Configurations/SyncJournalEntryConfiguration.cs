using Jobkore.Core.Domain;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class SyncJournalEntryConfiguration : IEntityTypeConfiguration<SyncJournalEntry>
{
    public void Configure(EntityTypeBuilder<SyncJournalEntry> builder)
    {
        builder.ToTable("SyncJournal");
        builder.HasOne<Business>().WithMany().HasForeignKey(e => e.BusinessId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.BusinessId, e.RealmId });
        builder.Property(e => e.RealmId).HasMaxLength(50);
        builder.Property(e => e.RequestId).HasMaxLength(50);
    }
}

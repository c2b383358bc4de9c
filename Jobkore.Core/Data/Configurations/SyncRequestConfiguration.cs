using Jobkore.Core.Domain;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class SyncRequestConfiguration : IEntityTypeConfiguration<SyncRequest>
{
    public void Configure(EntityTypeBuilder<SyncRequest> builder)
    {
        builder.HasOne<Business>().WithMany().HasForeignKey(r => r.BusinessId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.Trigger).HasMaxLength(30);
        builder.Property(r => r.Outcome).HasMaxLength(30);
        builder.Property(r => r.ClaimedBy).HasMaxLength(100);

        // The rows still waiting or running are few, whatever the history: the workers' look-ups (a business's rows to
        // claim, the rows no live lease covers) read this small index. Both databases quote names with double quotes.
        builder.HasIndex(r => new { r.BusinessId, r.NotBefore }, "IX_SyncRequests_Unfinished").HasFilter("\"FinishedAt\" IS NULL");

        // Finished rows are deleted after a while, oldest first.
        builder.HasIndex(r => r.FinishedAt);
    }
}

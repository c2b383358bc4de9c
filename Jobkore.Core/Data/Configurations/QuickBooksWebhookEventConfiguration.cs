using Jobkore.Core.QuickBooks.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class QuickBooksWebhookEventConfiguration : IEntityTypeConfiguration<QuickBooksWebhookEvent>
{
    public void Configure(EntityTypeBuilder<QuickBooksWebhookEvent> builder)
    {
        builder.ToTable("QuickBooksWebhookEvents");
        builder.Property(e => e.RealmId).HasMaxLength(50);
        builder.Property(e => e.Source).HasMaxLength(200);
        builder.Property(e => e.EventId).HasMaxLength(200);
        builder.Property(e => e.Entity).HasMaxLength(50);
        builder.Property(e => e.EntityId).HasMaxLength(50);
        builder.Property(e => e.Operation).HasMaxLength(20);
        builder.Property(e => e.DeletedId).HasMaxLength(50);

        // Intuit delivers an event more than once: the same account, source and id is the same event (docs/quickbooks-api.md §10).
        builder.HasIndex(e => new { e.RealmId, e.Source, e.EventId }).IsUnique();
        builder.HasIndex(e => new { e.RealmId, e.ProcessedAt });
        builder.HasIndex(e => e.ReceivedAt);
    }
}

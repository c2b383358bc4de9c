using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class QuickBooksConnectionConfiguration : IEntityTypeConfiguration<QuickBooksConnection>
{
    public void Configure(EntityTypeBuilder<QuickBooksConnection> builder)
    {
        builder.HasOne<Business>().WithMany().HasForeignKey(c => c.BusinessId).OnDelete(DeleteBehavior.Cascade);

        // One connection per business at a time.
        builder.HasIndex(c => c.BusinessId).IsUnique();
        builder.Property(c => c.RealmId).HasMaxLength(50);
        builder.Property(c => c.CompanyName).HasMaxLength(200);
        builder.Property(c => c.Environment).HasMaxLength(20);
        builder.Property(c => c.ConnectedBy).HasMaxLength(200);
        builder.Property(c => c.TokensUpdatedAt).IsConcurrencyToken();
    }
}

using Jobkore.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class CatalogItemConfiguration : IEntityTypeConfiguration<CatalogItem>
{
    public void Configure(EntityTypeBuilder<CatalogItem> builder)
    {
        builder.Property<string>(SyncHashProperty.Name).HasMaxLength(SyncHashProperty.MaxLength);
        builder.HasOne<Business>().WithMany().HasForeignKey(i => i.BusinessId).OnDelete(DeleteBehavior.Restrict);

        // QuickBooks item names are unique regardless of case; so are ours.
        builder.Property(i => i.Name).HasMaxLength(CatalogItem.NameMaxLength).UseCollation(JobkoreDbContext.CaseInsensitiveCollation);
        builder.Property(i => i.Description).HasMaxLength(4000);
        builder.Property(i => i.UnitPrice).HasConversion<MoneyConverter>();
        builder.Ignore(i => i.Details);
        builder.HasIndex(i => new { i.BusinessId, i.Name }).IsUnique();
    }
}

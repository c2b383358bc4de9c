using Jobkore.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class BusinessConfiguration : IEntityTypeConfiguration<Business>
{
    public void Configure(EntityTypeBuilder<Business> builder)
    {
        builder.Property(b => b.Name).HasMaxLength(200);
        builder.Property(b => b.Currency).HasMaxLength(3);
        builder.Property(b => b.TimeZoneId).HasMaxLength(100);
        builder.Property(b => b.TenantId).HasMaxLength(100);
        builder.HasIndex(b => b.TenantId).IsUnique();
    }
}

using Jobkore.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> builder)
    {
        builder.Property<string>(SyncHashProperty.Name).HasMaxLength(SyncHashProperty.MaxLength);
        builder.HasOne<Business>().WithMany().HasForeignKey(c => c.BusinessId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.DisplayName).HasMaxLength(Client.DisplayNameMaxLength).UseCollation(JobkoreDbContext.CaseInsensitiveCollation);
        builder.Property(c => c.CompanyName).HasMaxLength(100);
        builder.Property(c => c.Email).HasMaxLength(100);
        builder.Property(c => c.Phone).HasMaxLength(30);
        builder.ComplexProperty(c => c.BillingAddress, address =>
        {
            address.Property(a => a.Line1).HasColumnName("BillingLine1").HasMaxLength(200);
            address.Property(a => a.Line2).HasColumnName("BillingLine2").HasMaxLength(200);
            address.Property(a => a.City).HasColumnName("BillingCity").HasMaxLength(100);
            address.Property(a => a.Region).HasColumnName("BillingRegion").HasMaxLength(100);
            address.Property(a => a.PostalCode).HasColumnName("BillingPostalCode").HasMaxLength(30);
            address.Property(a => a.Country).HasColumnName("BillingCountry").HasMaxLength(100);
        });
        builder.Ignore(c => c.Details);
        builder.HasIndex(c => new { c.BusinessId, c.DisplayName });
    }
}

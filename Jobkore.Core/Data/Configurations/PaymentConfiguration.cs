using Jobkore.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.Property<string>(SyncHashProperty.Name).HasMaxLength(SyncHashProperty.MaxLength);
        builder.HasOne<Business>().WithMany().HasForeignKey(p => p.BusinessId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.Amount).HasConversion<MoneyConverter>();
        builder.Property(p => p.Reference).HasMaxLength(Payment.ReferenceMaxLength);
        builder.HasIndex(p => new { p.BusinessId, p.Date });
    }
}

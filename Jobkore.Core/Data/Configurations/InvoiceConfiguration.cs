using Jobkore.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> builder)
    {
        builder.Property<string>(SyncHashProperty.Name).HasMaxLength(SyncHashProperty.MaxLength);
        builder.HasOne<Business>().WithMany().HasForeignKey(i => i.BusinessId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(i => i.Client).WithMany().HasForeignKey(i => i.ClientId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(i => i.Number).HasMaxLength(Invoice.NumberMaxLength).UseCollation(JobkoreDbContext.CaseInsensitiveCollation);
        builder.HasIndex(i => new { i.BusinessId, i.Number }).IsUnique();
        builder.HasIndex(i => new { i.BusinessId, i.IssueDate });
        builder.HasIndex(i => new { i.BusinessId, i.Status });
        builder.Property(i => i.Memo).HasMaxLength(Invoice.MemoMaxLength);
        builder.Property(i => i.TaxRatePercent).HasPrecision(7, 4);
        builder.Property(i => i.Subtotal).HasConversion<MoneyConverter>();
        builder.Property(i => i.Tax).HasConversion<MoneyConverter>();
        builder.Property(i => i.Total).HasConversion<MoneyConverter>();
        builder.Property(i => i.AmountPaid).HasConversion<MoneyConverter>();
        builder.Ignore(i => i.Balance);

        // Every change to an invoice moves UpdatedAt, so two people paying the same balance at once cannot both win.
        builder.Property(i => i.UpdatedAt).IsConcurrencyToken();

        builder.HasMany(i => i.Lines).WithOne().HasForeignKey(l => l.InvoiceId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(i => i.Lines).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(i => i.Payments).WithOne(p => p.Invoice).HasForeignKey(p => p.InvoiceId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(i => i.Payments).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

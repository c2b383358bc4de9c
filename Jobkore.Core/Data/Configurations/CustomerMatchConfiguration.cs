using Jobkore.Core.Domain;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class CustomerMatchConfiguration : IEntityTypeConfiguration<CustomerMatch>
{
    public void Configure(EntityTypeBuilder<CustomerMatch> builder)
    {
        builder.ToTable("QuickBooksCustomerMatches");
        builder.HasOne<Business>().WithMany().HasForeignKey(m => m.BusinessId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Client>().WithMany().HasForeignKey(m => m.ClientId).OnDelete(DeleteBehavior.Cascade);

        // One review per client and company.
        builder.HasIndex(m => new { m.BusinessId, m.RealmId, m.ClientId }).IsUnique();
        builder.Property(m => m.RealmId).HasMaxLength(50);
        builder.Property(m => m.ChosenQboId).HasMaxLength(50);
        builder.Property(m => m.CandidatesJson).HasMaxLength(8000);
        builder.Ignore(m => m.Candidates);
    }
}

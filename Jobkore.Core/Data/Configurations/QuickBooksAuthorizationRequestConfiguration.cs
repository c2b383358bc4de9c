using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Connect;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class QuickBooksAuthorizationRequestConfiguration : IEntityTypeConfiguration<QuickBooksAuthorizationRequest>
{
    public void Configure(EntityTypeBuilder<QuickBooksAuthorizationRequest> builder)
    {
        builder.HasOne<Business>().WithMany().HasForeignKey(r => r.BusinessId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.StateHash).IsUnique();
        builder.Property(r => r.StateHash).HasMaxLength(64);
        builder.Property(r => r.UserId).HasMaxLength(200);
    }
}

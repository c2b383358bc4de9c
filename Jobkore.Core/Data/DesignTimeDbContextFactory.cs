using Jobkore.Core.Businesses;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Jobkore.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<JobkoreDbContext>
{
    public JobkoreDbContext CreateDbContext(string[] args) =>
        new(
            new DbContextOptionsBuilder<JobkoreDbContext>().UseSqlite("Data Source=design-time.db").Options,
            new FixedCurrentBusiness(new BusinessProfile(0, "Design time", "USD", "UTC")));
}

using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Sync.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Jobkore.Core;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the app. It composes the context like
/// <see cref="CoreServiceCollectionExtensions"/> does, so it sits beside it rather than in <c>Data/</c>, which knows no sync.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<JobkoreDbContext>
{
    public JobkoreDbContext CreateDbContext(string[] args) =>
        new(
            new DbContextOptionsBuilder<JobkoreDbContext>().UseSqlite("Data Source=design-time.db").UseContentHashes(new SyncHashes()).Options,
            new FixedCurrentBusiness(new BusinessProfile(0, "Design time", "USD", "UTC")));
}

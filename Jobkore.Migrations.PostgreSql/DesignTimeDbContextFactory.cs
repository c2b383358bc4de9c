using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Sync.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Jobkore.Migrations.PostgreSql;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the PostgreSQL model without a server (no connection is opened to add a
/// migration); composed like Jobkore.Core's SQLite one.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<JobkoreDbContext>
{
    public JobkoreDbContext CreateDbContext(string[] args) =>
        new(
            new DbContextOptionsBuilder<JobkoreDbContext>()
                .UseNpgsql("Host=localhost;Database=jobkore_design_time", npgsql => npgsql.MigrationsAssembly(JobkoreDatabase.PostgreSqlMigrationsAssembly))
                .UseContentHashes(new SyncHashes()).Options,
            new FixedCurrentBusiness(new BusinessProfile(0, "Design time", "USD", "UTC")));
}

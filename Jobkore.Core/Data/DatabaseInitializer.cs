using Jobkore.Core.Businesses;
using Jobkore.Core.Demo;
using Jobkore.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.Data;

/// <summary>
/// Brings the database up to date at start-up: applies migrations, turns on WAL (SQLite), creates the business in an
/// empty database (with demo records when asked) and tells <see cref="DefaultBusiness"/> which business it is. On
/// PostgreSQL, app instances starting together do this one at a time (an advisory lock), so only one creates the business.
/// </summary>
public sealed partial class DatabaseInitializer(
    JobkoreDatabase database,
    DbContextOptions<JobkoreDbContext> dbOptions,
    IOptions<BusinessOptions> businessOptions,
    IHostEnvironment environment,
    DefaultBusiness defaultBusiness,
    TimeProvider timeProvider,
    ILogger<DatabaseInitializer> logger)
{
    /// <summary>Any number; app instances of one database agree on it.</summary>
    private const long StartupLockKey = 0x4A6F626B6F7265; // "Jobkore"

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var startup = CreateContext(null);
        var locked = false;
        try
        {
            if (database.Provider == DatabaseProvider.PostgreSql)
            {
                // A session lock: a crash lets go of it with the connection; otherwise it is let go below, since a pooled
                // connection would keep it. Another instance may take minutes to migrate, so no command timeout.
                await startup.Database.OpenConnectionAsync(cancellationToken);
                startup.Database.SetCommandTimeout(TimeSpan.Zero);
                await startup.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({StartupLockKey})", cancellationToken);
                locked = true;
                startup.Database.SetCommandTimeout(null);
            }

            var derivePending = (await startup.Database.GetPendingMigrationsAsync(cancellationToken)).Any(m => m.EndsWith("_" + nameof(Migrations.SyncPending), StringComparison.Ordinal));
            await startup.Database.MigrateAsync(cancellationToken);
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                // WAL lets readers carry on while the one writer writes; the setting is kept in the database file.
                await startup.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            var profile = await FindOrCreateBusinessAsync(cancellationToken);
            defaultBusiness.Set(profile);
            if (derivePending)
            {
                await DerivePendingOfEveryBusinessAsync(cancellationToken);
            }
        }
        finally
        {
            if (locked)
            {
                await startup.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({StartupLockKey})", CancellationToken.None);
            }
        }
    }

    /// <summary>The migration that introduced the pending set left it empty: derive it for the businesses there already were.</summary>
    private async Task DerivePendingOfEveryBusinessAsync(CancellationToken cancellationToken)
    {
        List<Business> businesses;
        await using (var db = CreateContext(null))
        {
            businesses = await db.Businesses.AsNoTracking().ToListAsync(cancellationToken);
        }

        foreach (var business in businesses)
        {
            await using var db = CreateContext(ToProfile(business));
            await db.RederiveSyncPendingAsync(cancellationToken);
        }
    }

    private async Task<BusinessProfile> FindOrCreateBusinessAsync(CancellationToken cancellationToken)
    {
        await using (var db = CreateContext(null))
        {
            var existing = await db.Businesses.AsNoTracking().Where(b => b.TenantId == null).OrderBy(b => b.Id).FirstOrDefaultAsync(cancellationToken);
            if (existing is not null)
            {
                return ToProfile(existing);
            }
        }

        var options = businessOptions.Value;
        var seedDemo = options.SeedDemoData ?? environment.IsDevelopment();
        var now = timeProvider.GetUtcNow();
        var business = seedDemo
            ? new Business(DemoData.BusinessName, DemoData.Currency, DemoData.TimeZoneId, now)
            : new Business(options.Name, options.Currency, options.TimeZone, now);
        await using (var db = CreateContext(null))
        {
            db.Businesses.Add(business);
            await db.SaveChangesAsync(cancellationToken);
        }

        var profile = ToProfile(business);
        if (seedDemo)
        {
            await using var db = CreateContext(profile);
            var counts = await DemoData.SeedAsync(db, profile, timeProvider, cancellationToken);
            LogDemoDataSeeded(logger, profile.Name, counts.Clients, counts.Items, counts.Invoices, counts.Payments);
        }
        else
        {
            LogBusinessCreated(logger, profile.Name);
        }

        return profile;
    }

    private JobkoreDbContext CreateContext(BusinessProfile? profile) =>
        profile is null ? JobkoreDbContext.ForBusinessesOnly(dbOptions) : new(dbOptions, new FixedCurrentBusiness(profile));

    private static BusinessProfile ToProfile(Business business) => BusinessProfile.From(business);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the demo business {BusinessName}: {Clients} clients, {Items} catalog items, {Invoices} invoices, {Payments} payments")]
    private static partial void LogDemoDataSeeded(ILogger logger, string businessName, int clients, int items, int invoices, int payments);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the business {BusinessName} in an empty database")]
    private static partial void LogBusinessCreated(ILogger logger, string businessName);
}

using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.Sync;

/// <summary>
/// Finds the businesses whose daily auto-sync is due, claims today's run of each in the database (so two processes never
/// both start it) and asks <see cref="SyncRuns"/> for it, the longest unsynced first; they start as the scheduler has
/// room, in that order (docs/design.md §9).
/// </summary>
internal sealed partial class DueAutoSyncs(SyncRuns runs, IServiceScopeFactory scopes, IOptions<SyncOptions> options, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>Asks for today's auto-sync of every business that has it on and whose time of day has come.</summary>
    public async Task RequestDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<BusinessDirectory>();
        await using var db = JobkoreDbContext.ForBusinessesOnly(scope.ServiceProvider.GetRequiredService<DbContextOptions<JobkoreDbContext>>());
        var candidates = await db.QuickBooksSettings.IgnoreQueryFilters().Where(s => s.AutoSync)
            .OrderBy(s => s.LastAutoSyncOn).ThenBy(s => s.BusinessId)
            .Select(s => new { s.Id, s.BusinessId, s.LastAutoSyncOn }).ToListAsync(cancellationToken);
        foreach (var candidate in candidates)
        {
            if (directory.Find(candidate.BusinessId) is not { } business)
            {
                continue;
            }

            var local = TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), business.TimeZone);
            var today = DateOnly.FromDateTime(local.DateTime);
            if (candidate.LastAutoSyncOn == today || TimeOnly.FromDateTime(local.DateTime) < options.Value.AutoSyncTimeOfDay)
            {
                continue;
            }

            // Claim today's run first, so two processes never both start it.
            var claimed = await db.QuickBooksSettings.IgnoreQueryFilters()
                .Where(s => s.Id == candidate.Id && (s.LastAutoSyncOn == null || s.LastAutoSyncOn != today))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastAutoSyncOn, today), cancellationToken);
            if (claimed == 1)
            {
                LogAutoSyncDue(logger, business.Id);
                _ = runs.RequestAsync(business.Id, null, SyncTrigger.AutoSync);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily auto-sync is due for business {BusinessId}")]
    private static partial void LogAutoSyncDue(ILogger logger, int businessId);
}

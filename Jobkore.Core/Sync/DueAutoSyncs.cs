using Jobkore.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.Sync;

/// <summary>
/// Finds the businesses whose daily auto-sync is due, and claims today's run of each in the database together with its
/// request row, in one transaction: so two processes never both ask for it, and an instance that dies after claiming it
/// leaves a row another performs. The longest unsynced first; they start as the scheduler has room, in that order
/// (docs/design.md §9).
/// </summary>
internal sealed partial class DueAutoSyncs(SyncRuns runs, IServiceScopeFactory scopes, IOptions<SyncOptions> options, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>Asks for today's auto-sync of every business that has it on and whose time of day has come.</summary>
    public async Task RequestDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = JobkoreDbContext.ForBusinessesOnly(scope.ServiceProvider.GetRequiredService<DbContextOptions<JobkoreDbContext>>());

        // The time zone from the database, not this process's cache of business profiles: an admin may have changed it
        // on another instance.
        var candidates = await db.QuickBooksSettings.IgnoreQueryFilters().Where(s => s.AutoSync)
            .Join(db.Businesses, s => s.BusinessId, b => b.Id, (s, b) => new { s.Id, s.BusinessId, s.LastAutoSyncOn, b.TimeZoneId })
            .OrderBy(s => s.LastAutoSyncOn).ThenBy(s => s.BusinessId)
            .ToListAsync(cancellationToken);
        foreach (var candidate in candidates)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(candidate.TimeZoneId, out var timeZone))
            {
                continue;
            }

            var local = TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), timeZone);
            var today = DateOnly.FromDateTime(local.DateTime);

            // Only a later day claims: two instances that disagree on the day (one has not yet heard of a new time zone)
            // can then not take the run from each other, one day after the other, over and over.
            if (candidate.LastAutoSyncOn >= today || TimeOnly.FromDateTime(local.DateTime) < options.Value.AutoSyncTimeOfDay)
            {
                continue;
            }

            // Claim today's run and save its request as one, so two processes never both ask for it and none is lost.
            var request = await runs.HandAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var claimed = await db.QuickBooksSettings.IgnoreQueryFilters()
                    .Where(s => s.Id == candidate.Id && (s.LastAutoSyncOn == null || s.LastAutoSyncOn < today))
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastAutoSyncOn, today), ct);
                if (claimed != 1)
                {
                    return null;
                }

                var row = SyncRequests.NewRow(candidate.BusinessId, null, SyncTrigger.AutoSync, timeProvider.GetUtcNow());
                db.SyncRequests.Add(row);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return SyncRequests.ToRequest(row);
            }, awaited: false, cancellationToken);
            if (request is not null)
            {
                LogAutoSyncDue(logger, candidate.BusinessId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily auto-sync is due for business {BusinessId}")]
    private static partial void LogAutoSyncDue(ILogger logger, int businessId);
}

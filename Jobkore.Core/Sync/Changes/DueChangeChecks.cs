using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Core.Sync.Changes;

/// <summary>
/// The daily look at what changed in QuickBooks (docs/design.md §11): Intuit's advice is change data capture daily, to
/// catch what webhooks missed. Queues one for every connected company not looked at for a day (any run looks, too);
/// <see cref="SyncRuns.QueueCheckAsync"/> keeps it to one waiting per business across instances. An idle company
/// costs one read a day.
/// </summary>
internal sealed class DueChangeChecks(SyncRuns runs, IServiceScopeFactory scopes, TimeProvider timeProvider)
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    public async Task RequestDueAsync(CancellationToken cancellationToken)
    {
        var due = timeProvider.GetUtcNow() - Interval;
        List<int> businesses;
        await using (var scope = scopes.CreateAsyncScope())
        await using (var db = JobkoreDbContext.ForBusinessesOnly(scope.ServiceProvider.GetRequiredService<DbContextOptions<JobkoreDbContext>>()))
        {
            businesses = await db.QuickBooksConnections.IgnoreQueryFilters()
                .Where(c => c.Status == QuickBooksConnectionStatus.Connected && c.ChangesCheckedUpTo != null && c.ChangesCheckedUpTo < due)
                .OrderBy(c => c.ChangesCheckedUpTo).Select(c => c.BusinessId).ToListAsync(cancellationToken);
        }

        foreach (var businessId in businesses)
        {
            await runs.QueueCheckAsync(businessId, cancellationToken);
        }
    }
}

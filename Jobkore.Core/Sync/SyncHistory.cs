using Jobkore.Core.Data;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync;

/// <summary>One push of a record as its history shows it: when, what was asked, how it ended, and Intuit's trace id.</summary>
public sealed record SyncAttemptView(DateTimeOffset At, string Operation, bool Succeeded, string? QboId, string? ErrorCode, string? ErrorMessage, string? IntuitTid);

/// <summary>Reads a record's attempt history with the connected QuickBooks company, newest first.</summary>
public sealed class SyncHistory(IDbContextFactory<JobkoreDbContext> dbFactory)
{
    /// <summary>The latest <paramref name="take"/> attempts; empty when QuickBooks is not connected.</summary>
    public async Task<IReadOnlyList<SyncAttemptView>> ForAsync(SyncEntityType type, int entityId, int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await SyncStatuses.ConnectedRealmAsync(db, cancellationToken) is not { } realmId)
        {
            return [];
        }

        // Newest first by id: attempts are only ever appended, and SQLite cannot order by a DateTimeOffset.
        return await db.SyncAttempts.AsNoTracking()
            .Where(a => a.RealmId == realmId && a.EntityType == type && a.EntityId == entityId)
            .OrderByDescending(a => a.Id)
            .Take(take)
            .Select(a => new SyncAttemptView(a.At, a.Operation, a.Succeeded, a.QboId, a.ErrorCode, a.ErrorMessage, a.IntuitTid))
            .ToListAsync(cancellationToken);
    }
}

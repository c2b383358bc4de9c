using Jobkore.Core.Data;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync;

/// <summary>Takes, renews and gives back the per-business run lease in the database, atomically.</summary>
public sealed class SyncLeases(DbContextOptions<JobkoreDbContext> dbOptions, TimeProvider timeProvider)
{
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(2);

    /// <summary>True when <paramref name="holder"/> now holds the business's lease (it was free, expired, or already its own).</summary>
    public async Task<bool> TryAcquireAsync(int businessId, string holder, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
        var expires = now + Duration;
        var taken = await db.SyncLeases.Where(l => l.BusinessId == businessId && (l.Holder == holder || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, expires), cancellationToken);
        if (taken == 1)
        {
            return true;
        }

        if (await db.SyncLeases.AnyAsync(l => l.BusinessId == businessId, cancellationToken))
        {
            return false;
        }

        db.SyncLeases.Add(new SyncLease(businessId, holder, expires));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another process inserted it first.
            return false;
        }
    }

    /// <summary>Extends a held lease; false when it was lost (expired and taken by someone else).</summary>
    public async Task<bool> RenewAsync(int businessId, string holder, CancellationToken cancellationToken)
    {
        await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
        return await RenewAsync(db, businessId, holder, timeProvider.GetUtcNow(), cancellationToken);
    }

    /// <summary>Extends a held lease within <paramref name="db"/>'s transaction, if it has one; false when it was lost.</summary>
    internal static async Task<bool> RenewAsync(JobkoreDbContext db, int businessId, string holder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expires = now + Duration;
        return await db.SyncLeases.Where(l => l.BusinessId == businessId && l.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, expires), cancellationToken) == 1;
    }

    /// <summary>True while any process holds the business's lease (it exists and has not expired).</summary>
    public async Task<bool> IsHeldAsync(int businessId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
        return await db.SyncLeases.AnyAsync(l => l.BusinessId == businessId && l.ExpiresAt > now, cancellationToken);
    }

    /// <summary>Gives the lease back, if <paramref name="holder"/> still holds it.</summary>
    public async Task ReleaseAsync(int businessId, string holder, CancellationToken cancellationToken)
    {
        await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
        await db.SyncLeases.Where(l => l.BusinessId == businessId && l.Holder == holder).ExecuteDeleteAsync(cancellationToken);
    }
}

/// <summary>The run's lease was taken by another process (it had expired): the run stops before sending anything more.</summary>
public sealed class SyncLeaseLostException : Exception
{
    public SyncLeaseLostException()
        : base("Another Jobkore process took over this business's sync.")
    {
    }

    public SyncLeaseLostException(string message)
        : base(message)
    {
    }

    public SyncLeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

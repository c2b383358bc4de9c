using System.Collections.Concurrent;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Businesses;

/// <summary>
/// Finds businesses by id or Entra tenant and keeps their profiles in a process-wide cache, so resolving the
/// current business on every query costs nothing after the first time.
/// </summary>
public sealed class BusinessDirectory(DbContextOptions<JobkoreDbContext> dbOptions, BusinessProfileCache cache, TimeProvider timeProvider)
{
    public BusinessProfile? Find(int businessId)
    {
        if (cache.TryGet(businessId, out var cached))
        {
            return cached;
        }

        // Synchronous on purpose: the current business is read from property getters; this runs once per business per process.
        using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
        var business = db.Businesses.AsNoTracking().SingleOrDefault(b => b.Id == businessId);
        return business is null ? null : cache.Set(BusinessProfile.From(business));
    }

    /// <summary>The business of an Entra tenant; created with the given defaults on the tenant's first sign-in.</summary>
    public async Task<BusinessProfile> FindOrCreateForTenantAsync(string tenantId, string name, string currency, string timeZoneId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
        var existing = await db.Businesses.AsNoTracking().SingleOrDefaultAsync(b => b.TenantId == tenantId, cancellationToken);
        if (existing is not null)
        {
            return cache.Set(BusinessProfile.From(existing));
        }

        var business = new Business(name, currency, timeZoneId, timeProvider.GetUtcNow(), tenantId);
        db.Businesses.Add(business);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Two users of a new tenant signed in at the same moment; the other sign-in created it.
            db.ChangeTracker.Clear();
            business = await db.Businesses.AsNoTracking().SingleAsync(b => b.TenantId == tenantId, cancellationToken);
        }

        return cache.Set(BusinessProfile.From(business));
    }

    internal async Task<BusinessProfile> UpdateAsync(int businessId, string name, string currency, string timeZoneId, CancellationToken cancellationToken)
    {
        await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
        var business = await db.Businesses.SingleAsync(b => b.Id == businessId, cancellationToken);
        business.Update(name, currency, timeZoneId);
        await db.SaveChangesAsync(cancellationToken);
        return cache.Set(BusinessProfile.From(business));
    }
}

/// <summary>Business profiles by id, shared by every request and circuit of the process.</summary>
public sealed class BusinessProfileCache
{
    private readonly ConcurrentDictionary<int, BusinessProfile> _profiles = new();

    internal bool TryGet(int businessId, out BusinessProfile profile) => _profiles.TryGetValue(businessId, out profile!);

    internal BusinessProfile Set(BusinessProfile profile)
    {
        _profiles[profile.Id] = profile;
        return profile;
    }
}

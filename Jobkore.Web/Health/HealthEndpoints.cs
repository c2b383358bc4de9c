using Jobkore.Core.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Web.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the database is reachable and every migration is
/// applied. QuickBooks is not part of readiness: a QuickBooks outage makes syncs wait, it does not make Jobkore unfit to
/// serve. Both are anonymous and answer plain <c>Healthy</c> or <c>Unhealthy</c> (503), never cached.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    private const string ReadyTag = "ready";

    public static IServiceCollection AddJobkoreHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddDbContextCheck<JobkoreDbContext>("database", tags: [ReadyTag], customTestQuery: IsCurrentAsync);
        return services;
    }

    public static IEndpointRouteBuilder MapJobkoreHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return endpoints;
    }

    /// <summary>
    /// The file is there (SQLite would otherwise create an empty one on connecting) and no migration is pending.
    /// Only the migrations history is read: no business's records, so no current business is needed.
    /// </summary>
    private static async Task<bool> IsCurrentAsync(JobkoreDbContext db, CancellationToken cancellationToken) =>
        await db.Database.CanConnectAsync(cancellationToken) && !(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any();
}

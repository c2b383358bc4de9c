using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.QuickBooks.Client;

/// <summary>
/// Keeps each company under Intuit's limits (docs/quickbooks-api.md §3) by queueing instead of bouncing off them: at most
/// <see cref="QboClientOptions.RequestsPerMinute"/> and <see cref="QboClientOptions.BatchRequestsPerMinute"/> in any
/// minute and <see cref="QboClientOptions.RequestsPerSecond"/> in any second (<see cref="QboRequestWindows"/>, the
/// policy that reaches Intuit's ceiling without a 429), then at most
/// <see cref="QboClientOptions.ConcurrentRequests"/> at once (a <see cref="ConcurrencyLimiter"/>). A
/// <see cref="PartitionedRateLimiter{TResource}"/> partitioned by company; every lease is a <see cref="QboSlot"/>.
/// </summary>
public sealed class QboRateLimiter(IOptions<QboClientOptions> options, TimeProvider? timeProvider = null) : PartitionedRateLimiter<QboPacedRequest>
{
    private readonly ConcurrentDictionary<string, CompanyLimits> _companies = new();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>How many requests a company may have in flight; the sync keeps that many lanes busy.</summary>
    public int ConcurrentRequests => options.Value.ConcurrentRequests;

    /// <summary>Waits for a single-request slot; dispose the result when the response has arrived.</summary>
    public ValueTask<QboSlot> AcquireAsync(string realmId, CancellationToken cancellationToken) => AcquireAsync(realmId, QboSlotKind.Request, cancellationToken);

    /// <summary>
    /// Waits for a slot of <paramref name="kind"/>; <see cref="QboSlot.IsBatch"/> says which one was granted. Dispose
    /// it when the response has arrived (or call <see cref="QboSlot.ReleaseUnused"/> if nothing was sent with it).
    /// </summary>
    public async ValueTask<QboSlot> AcquireAsync(string realmId, QboSlotKind kind, CancellationToken cancellationToken)
    {
        var company = Company(realmId);

        // The windows first: a request that fits them is never kept waiting behind one that does not, holding a place in flight.
        var isBatch = await company.Windows.WaitForRoomAsync(kind, cancellationToken);
        RateLimitLease? inFlight = null;
        try
        {
            inFlight = await company.InFlight.AcquireAsync(1, cancellationToken);
            return inFlight.IsAcquired
                ? new QboSlot(realmId, company.Windows, inFlight, isBatch)
                : throw new ObjectDisposedException(nameof(QboRateLimiter), "The QuickBooks limiter is shutting down.");
        }
        catch
        {
            inFlight?.Dispose();
            company.Windows.Return(isBatch, used: false);
            throw;
        }
    }

    /// <summary>The company's places in flight; null for a company that has sent nothing yet.</summary>
    public override RateLimiterStatistics? GetStatistics(QboPacedRequest resource) =>
        _companies.TryGetValue(resource.RealmId, out var company) ? company.InFlight.GetStatistics() : null;

    /// <summary>A QuickBooks request is one permit: <paramref name="permitCount"/> must be 1.</summary>
    protected override RateLimitLease AttemptAcquireCore(QboPacedRequest resource, int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(permitCount, 1);
        var company = Company(resource.RealmId);
        if (company.Windows.TryTake(resource.Kind) is not { } isBatch)
        {
            return QboSlot.NoRoom;
        }

        var inFlight = company.InFlight.AttemptAcquire(1);
        if (inFlight.IsAcquired)
        {
            return new QboSlot(resource.RealmId, company.Windows, inFlight, isBatch);
        }

        inFlight.Dispose();
        company.Windows.Return(isBatch, used: false);
        return QboSlot.NoRoom;
    }

    /// <summary>A QuickBooks request is one permit: <paramref name="permitCount"/> must be 1.</summary>
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(QboPacedRequest resource, int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(permitCount, 1);
        return await AcquireAsync(resource.RealmId, resource.Kind, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var company in _companies.Values)
            {
                company.InFlight.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        foreach (var company in _companies.Values)
        {
            await company.InFlight.DisposeAsync();
        }

        await base.DisposeAsyncCore();
    }

    // Kept for the process's life: a company's windows must outlive its idle moments, and their state is a few numbers.
    private CompanyLimits Company(string realmId) => _companies.GetOrAdd(realmId, _ => new CompanyLimits(
        new QboRequestWindows(options.Value, _time),
        new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = options.Value.ConcurrentRequests, QueueLimit = int.MaxValue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst })));

    private sealed record CompanyLimits(QboRequestWindows Windows, ConcurrencyLimiter InFlight);
}

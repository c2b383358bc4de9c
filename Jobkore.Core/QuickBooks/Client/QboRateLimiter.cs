using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.QuickBooks.Client;

/// <summary>
/// Keeps each company under Intuit's limits (docs/quickbooks-api.md §3) by queueing instead of bouncing off them: at most
/// <see cref="QboClientOptions.ConcurrentRequests"/> at once (a <see cref="ConcurrencyLimiter"/> per company, from
/// <see cref="PartitionedRateLimiter"/>), then <see cref="QboClientOptions.RequestsPerMinute"/> and
/// <see cref="QboClientOptions.BatchRequestsPerMinute"/> in any minute (<see cref="QboMinuteWindow"/>, the policy
/// that reaches Intuit's ceiling without a 429). Every lease is a <see cref="QboSlot"/>.
/// </summary>
public sealed class QboRateLimiter : PartitionedRateLimiter<QboPacedRequest>
{
    private readonly QboClientOptions _options;
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<QboPacedRequest> _inFlight;
    private readonly ConcurrentDictionary<string, QboMinuteWindow> _minutes = new();

    public QboRateLimiter(IOptions<QboClientOptions> options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = timeProvider ?? TimeProvider.System;
        var concurrent = _options.ConcurrentRequests;
        _inFlight = PartitionedRateLimiter.Create<QboPacedRequest, string>(request => RateLimitPartition.GetConcurrencyLimiter(request.RealmId, _ =>
            new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = int.MaxValue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst }));
    }

    /// <summary>How many requests a company may have in flight; the sync keeps that many lanes busy.</summary>
    public int ConcurrentRequests => _options.ConcurrentRequests;

    /// <summary>Waits for a single-request slot; dispose the result when the response has arrived.</summary>
    public ValueTask<QboSlot> AcquireAsync(string realmId, CancellationToken cancellationToken) => AcquireAsync(realmId, QboSlotKind.Request, cancellationToken);

    /// <summary>
    /// Waits for a slot of <paramref name="kind"/>; <see cref="QboSlot.IsBatch"/> says which one was granted. Dispose
    /// it when the response has arrived (or call <see cref="QboSlot.ReleaseUnused"/> if nothing was sent with it).
    /// </summary>
    public async ValueTask<QboSlot> AcquireAsync(string realmId, QboSlotKind kind, CancellationToken cancellationToken)
    {
        var request = new QboPacedRequest(realmId, kind);
        var inFlight = await _inFlight.AcquireAsync(request, 1, cancellationToken);
        try
        {
            var minute = Minute(realmId);
            var isBatch = await minute.WaitForRoomAsync(kind, cancellationToken);
            return new QboSlot(minute, inFlight, isBatch);
        }
        catch
        {
            inFlight.Dispose();
            throw;
        }
    }

    public override RateLimiterStatistics? GetStatistics(QboPacedRequest resource) => _inFlight.GetStatistics(resource);

    protected override RateLimitLease AttemptAcquireCore(QboPacedRequest resource, int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(permitCount, 1);
        var inFlight = _inFlight.AttemptAcquire(resource, 1);
        if (!inFlight.IsAcquired)
        {
            return inFlight;
        }

        var minute = Minute(resource.RealmId);
        if (minute.TryTake(resource.Kind) is { } isBatch)
        {
            return new QboSlot(minute, inFlight, isBatch);
        }

        inFlight.Dispose();
        return QboSlot.NoRoom;
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(QboPacedRequest resource, int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(permitCount, 1);
        return await AcquireAsync(resource.RealmId, resource.Kind, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inFlight.Dispose();
        }

        base.Dispose(disposing);
    }

    private QboMinuteWindow Minute(string realmId) => _minutes.GetOrAdd(realmId, _ => new QboMinuteWindow(_options, _time));
}

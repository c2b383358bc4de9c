using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.QuickBooks.Client;

/// <summary>What a request needs from its company's limits.</summary>
public enum QboSlotKind
{
    /// <summary>One request (a read, a query, one write).</summary>
    Request,

    /// <summary>A batch request: one request that also spends one of the batch requests a minute.</summary>
    Batch,

    /// <summary>
    /// A batch when the minute still has batch requests to spend, otherwise a single request: how the sync fills
    /// Intuit's ceiling, 40 batches of 30 operations and the other 460 requests of the minute carrying one each.
    /// </summary>
    BatchOrRequest,
}

/// <summary>A request to pace: the company it goes to and what it needs from that company's limits.</summary>
public readonly record struct QboPacedRequest(string RealmId, QboSlotKind Kind);

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

/// <summary>
/// A request's place within its company's limits: it counts in the company's minute from the moment it is granted
/// until a minute after it is disposed (when the answer arrived). <see cref="Carry"/> sends it with the next request of
/// the caller's flow; <see cref="ReleaseUnused"/> gives back a slot nothing was sent with.
/// </summary>
public sealed class QboSlot : RateLimitLease
{
    internal static readonly RateLimitLease NoRoom = new Refused();
    private static readonly AsyncLocal<QboSlot?> Carried = new();
    private readonly QboMinuteWindow? _minute;
    private readonly RateLimitLease? _inFlight;
    private int _claimed;
    private int _released;
    private bool _unused;

    internal QboSlot(QboMinuteWindow minute, RateLimitLease inFlight, bool isBatch)
    {
        _minute = minute;
        _inFlight = inFlight;
        IsBatch = isBatch;
    }

    /// <summary>True when this slot is for a batch request.</summary>
    public bool IsBatch { get; }

    public override bool IsAcquired => true;

    public override IEnumerable<string> MetadataNames => [];

    /// <summary>
    /// Until the result is disposed, the next QuickBooks request made in this flow goes out with this slot instead of
    /// waiting for one of its own (<see cref="QboResilience"/> takes it for that request's first attempt).
    /// </summary>
    public IDisposable Carry()
    {
        var previous = Carried.Value;
        Carried.Value = this;
        return new Restore(previous);
    }

    /// <summary>Nothing was sent with this slot: it frees its place and counts for nothing.</summary>
    public void ReleaseUnused()
    {
        if (Volatile.Read(ref _claimed) == 0)
        {
            _unused = true;
        }

        Dispose();
    }

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = null;
        return false;
    }

    /// <summary>The slot carried into this flow, claimed for a request of the same kind; null when there is none to take.</summary>
    internal static QboSlot? TakeCarried(bool isBatch) =>
        Carried.Value is { } slot && slot.IsBatch == isBatch && Interlocked.Exchange(ref slot._claimed, 1) == 0 ? slot : null;

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _released, 1) == 0)
        {
            _minute!.Return(IsBatch, used: !_unused);
            _inFlight!.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class Restore(QboSlot? previous) : IDisposable
    {
        public void Dispose() => Carried.Value = previous;
    }

    private sealed class Refused : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

using System.Collections.Concurrent;
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

/// <summary>
/// Keeps each company under Intuit's limits (docs/quickbooks-api.md §3) by queueing instead of bouncing off them: at most
/// <see cref="QboClientOptions.ConcurrentRequests"/> at once, <see cref="QboClientOptions.RequestsPerMinute"/> and
/// <see cref="QboClientOptions.BatchRequestsPerMinute"/> in any minute. The minute is a true sliding window that counts
/// a request from the moment it is granted until one minute after its answer came back, so however late QuickBooks
/// saw it, it has left QuickBooks' own window before the next request takes its place.
/// </summary>
/// <remarks>
/// While a company is being sent batches, single requests leave room in the minute for the batch requests it still
/// allows, so a run never spends on single requests the request a batch of 30 would have used.
/// </remarks>
public sealed class QboRateLimiter(IOptions<QboClientOptions> options, TimeProvider? timeProvider = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, CompanyLimits> _companies = new();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>How many requests a company may have in flight; the sync keeps that many lanes busy.</summary>
    public int ConcurrentRequests => options.Value.ConcurrentRequests;

    /// <summary>Waits for a single-request slot; dispose the result when the response has arrived.</summary>
    public ValueTask<QboSlot> AcquireAsync(string realmId, CancellationToken cancellationToken) => AcquireAsync(realmId, QboSlotKind.Request, cancellationToken);

    /// <summary>
    /// Waits for a slot of <paramref name="kind"/>; <see cref="QboSlot.IsBatch"/> says which one was granted. Dispose
    /// it when the response has arrived (or at once if nothing was sent with it).
    /// </summary>
    public ValueTask<QboSlot> AcquireAsync(string realmId, QboSlotKind kind, CancellationToken cancellationToken) =>
        _companies.GetOrAdd(realmId, _ => new CompanyLimits(options.Value, _time)).AcquireAsync(kind, cancellationToken);

    public void Dispose()
    {
        foreach (var company in _companies.Values)
        {
            company.Dispose();
        }
    }

    /// <summary>One company's window of requests, batch requests, and requests in flight.</summary>
    internal sealed class CompanyLimits : IDisposable
    {
        private readonly object _gate = new();
        private readonly Queue<long> _requests = new();
        private readonly Queue<long> _batches = new();
        private readonly LinkedList<Waiter> _waiters = new();
        private readonly TimeProvider _time;
        private readonly long _window;
        private readonly int _perMinute;
        private readonly int _batchesPerMinute;
        private readonly int _concurrent;
        private int _inFlight;
        private int _batchesInFlight;
        private long? _batchWanted;
        private ITimer? _timer;

        public CompanyLimits(QboClientOptions options, TimeProvider time)
        {
            _time = time;
            _window = (long)(TimeSpan.FromMinutes(1).Ticks / options.TimeScale);
            _perMinute = options.RequestsPerMinute;
            _batchesPerMinute = options.BatchRequestsPerMinute;
            _concurrent = options.ConcurrentRequests;
        }

        public async ValueTask<QboSlot> AcquireAsync(QboSlotKind kind, CancellationToken cancellationToken)
        {
            Waiter waiter;
            lock (_gate)
            {
                var now = Now;
                if (kind != QboSlotKind.Request)
                {
                    _batchWanted = now;
                }

                if (_waiters.Count == 0 && TryGrant(kind, now) is { } slot)
                {
                    return slot;
                }

                waiter = new Waiter(kind);
                waiter.Node = _waiters.AddLast(waiter);
                Pump(now);
            }

            await using var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    if (waiter.Node?.List is not null)
                    {
                        _waiters.Remove(waiter.Node);
                    }
                }

                waiter.Granted.TrySetCanceled(cancellationToken);
            });
            var granted = await waiter.Granted.Task;
            return granted;
        }

        /// <summary>The answer arrived (or nothing was sent): frees the slot and lets whoever waits go.</summary>
        internal void Release(QboSlot slot)
        {
            lock (_gate)
            {
                var now = Now;
                _inFlight--;
                if (slot.IsBatch)
                {
                    _batchesInFlight--;
                }

                if (!slot.Unused)
                {
                    _requests.Enqueue(now);
                    if (slot.IsBatch)
                    {
                        _batches.Enqueue(now);
                    }
                }

                Pump(now);
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _timer?.Dispose();
                _timer = null;
            }
        }

        private long Now => _time.GetUtcNow().UtcTicks;

        /// <summary>Grants every waiter that fits now, in order; a waiter that does not fit lets later ones try.</summary>
        private void Pump(long now)
        {
            for (var node = _waiters.First; node is not null;)
            {
                var next = node.Next;
                if (_inFlight >= _concurrent)
                {
                    break;
                }

                if (TryGrant(node.Value.Kind, now) is { } slot)
                {
                    _waiters.Remove(node);
                    if (!node.Value.Granted.TrySetResult(slot))
                    {
                        // Cancelled meanwhile: give the slot back as unused.
                        Undo(slot);
                    }
                }

                node = next;
            }

            Schedule(now);
        }

        private QboSlot? TryGrant(QboSlotKind kind, long now)
        {
            Trim(_requests, now - _window);
            Trim(_batches, now - _window);
            if (_inFlight >= _concurrent)
            {
                return null;
            }

            var requests = _requests.Count + _inFlight;
            var batches = _batches.Count + _batchesInFlight;
            var canBatch = requests < _perMinute && batches < _batchesPerMinute;

            // While batches are being sent, single requests leave room for the batch requests this minute still allows
            // (when batches are limited more tightly than requests at all).
            var reserved = now - _batchWanted <= _window && _batchesPerMinute < _perMinute ? Math.Max(0, _batchesPerMinute - batches) : 0;
            var canSingle = requests < _perMinute - reserved;
            bool? batch = kind switch
            {
                QboSlotKind.Batch => canBatch ? true : null,
                QboSlotKind.Request => canSingle ? false : null,
                QboSlotKind.BatchOrRequest => canBatch ? true : canSingle ? false : null,
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a slot kind."),
            };
            if (batch is not { } isBatch)
            {
                return null;
            }

            _inFlight++;
            if (isBatch)
            {
                _batchesInFlight++;
            }

            return new QboSlot(this, isBatch);
        }

        private void Undo(QboSlot slot)
        {
            _inFlight--;
            if (slot.IsBatch)
            {
                _batchesInFlight--;
            }
        }

        /// <summary>When waiters wait for the window (not for a request in flight), wakes them when its oldest entry leaves.</summary>
        private void Schedule(long now)
        {
            if (_waiters.Count == 0 || _inFlight >= _concurrent)
            {
                return;
            }

            // The next moment something changes: the oldest request or batch leaves the window, or the room kept for batches ends.
            var next = Math.Min(_requests.Count > 0 ? _requests.Peek() : long.MaxValue, _batches.Count > 0 ? _batches.Peek() : long.MaxValue);
            if (_batchWanted is { } wanted && wanted > now - _window)
            {
                next = Math.Min(next, wanted);
            }

            if (next == long.MaxValue)
            {
                return;
            }

            var due = TimeSpan.FromTicks(Math.Max(1, next + _window - now + 1));
            _timer ??= _time.CreateTimer(_ => { lock (_gate) { Pump(Now); } }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }

        private static void Trim(Queue<long> times, long oldestKept)
        {
            while (times.Count > 0 && times.Peek() <= oldestKept)
            {
                times.Dequeue();
            }
        }

        private sealed class Waiter(QboSlotKind kind)
        {
            public QboSlotKind Kind { get; } = kind;

            public TaskCompletionSource<QboSlot> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public LinkedListNode<Waiter>? Node { get; set; }
        }
    }
}

/// <summary>
/// A request's place within its company's limits: it counts in the company's minute from the moment it is granted
/// until a minute after it is disposed (when the answer arrived). Sent with a request (see <see cref="QboRequestOptions"/>)
/// it carries that request's first attempt; <see cref="ReleaseUnused"/> gives back a slot nothing was sent with.
/// </summary>
public sealed class QboSlot : IDisposable
{
    private readonly QboRateLimiter.CompanyLimits _company;
    private int _claimed;
    private int _released;

    internal QboSlot(QboRateLimiter.CompanyLimits company, bool isBatch)
    {
        _company = company;
        IsBatch = isBatch;
    }

    /// <summary>True when this slot is for a batch request.</summary>
    public bool IsBatch { get; }

    internal bool Unused { get; private set; }

    /// <summary>Takes the slot for one request; false when a request already went with it (a retry needs its own).</summary>
    internal bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    /// <summary>Nothing was sent with this slot: it frees its place and counts for nothing.</summary>
    public void ReleaseUnused()
    {
        if (Volatile.Read(ref _claimed) == 0)
        {
            Unused = true;
        }

        Dispose();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _company.Release(this);
        }
    }
}

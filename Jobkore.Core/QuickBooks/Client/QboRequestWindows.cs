namespace Jobkore.Core.QuickBooks.Client;

/// <summary>
/// One company's recent requests, in the windows Intuit counts them in (docs/quickbooks-api.md §3, §10 "Limits"): the
/// minute (requests and batch requests) and the second (requests, batches included). Both are true sliding windows that
/// count a request from the moment it is granted until one minute, or one second, after its answer came back, so however
/// late QuickBooks saw it, it has left QuickBooks' own window before the next request takes its place. While the company
/// is being sent batches, single requests leave room for the batch requests the minute still allows, so a run never
/// spends on a single request the request a batch of 30 would have used.
/// </summary>
/// <remarks>The windows free room only as time passes or a slot comes back, so a waiter sleeps until the earlier of the two.</remarks>
internal sealed class QboRequestWindows(QboClientOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Queue<long> _requests = new();
    private readonly Queue<long> _batches = new();
    private readonly Queue<long> _lastSecond = new();
    private readonly long _minute = (long)(TimeSpan.FromMinutes(1).Ticks / options.TimeScale);
    private readonly long _second = (long)(TimeSpan.FromSeconds(1).Ticks / options.TimeScale);
    private int _granted;
    private int _batchesGranted;
    private long? _batchWanted;
    private TaskCompletionSource _slotReturned = NewSignal();

    /// <summary>Waits until the windows have room for <paramref name="kind"/> and takes it; true when a batch was granted.</summary>
    public async ValueTask<bool> WaitForRoomAsync(QboSlotKind kind, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            Task returned;
            lock (_gate)
            {
                if (TryTakeLocked(kind, Now) is { } isBatch)
                {
                    return isBatch;
                }

                wait = UntilNextChange(Now);
                returned = _slotReturned.Task;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(Task.Delay(wait, time, stop.Token), returned);
            await stop.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Takes room for <paramref name="kind"/> if the windows have it now; true when a batch was granted, null when there is none.</summary>
    public bool? TryTake(QboSlotKind kind)
    {
        lock (_gate)
        {
            return TryTakeLocked(kind, Now);
        }
    }

    /// <summary>A granted slot's answer arrived (<paramref name="used"/>), or nothing was sent with it.</summary>
    public void Return(bool isBatch, bool used)
    {
        TaskCompletionSource returned;
        lock (_gate)
        {
            var now = Now;
            _granted--;
            if (isBatch)
            {
                _batchesGranted--;
            }

            if (used)
            {
                _requests.Enqueue(now);
                _lastSecond.Enqueue(now);
                if (isBatch)
                {
                    _batches.Enqueue(now);
                }
            }

            returned = _slotReturned;
            _slotReturned = NewSignal();
        }

        returned.TrySetResult();
    }

    private long Now => time.GetUtcNow().UtcTicks;

    private bool? TryTakeLocked(QboSlotKind kind, long now)
    {
        if (kind != QboSlotKind.Request)
        {
            _batchWanted = now;
        }

        Trim(_requests, now - _minute);
        Trim(_batches, now - _minute);
        Trim(_lastSecond, now - _second);
        var requests = _requests.Count + _granted;
        var batches = _batches.Count + _batchesGranted;
        var secondHasRoom = _lastSecond.Count + _granted < options.RequestsPerSecond;
        var canBatch = secondHasRoom && requests < options.RequestsPerMinute && batches < options.BatchRequestsPerMinute;

        // While batches are being sent, single requests leave room for the batch requests this minute still allows
        // (when batches are limited more tightly than requests at all).
        var reserved = now - _batchWanted <= _minute && options.BatchRequestsPerMinute < options.RequestsPerMinute
            ? Math.Max(0, options.BatchRequestsPerMinute - batches)
            : 0;
        var canSingle = secondHasRoom && requests < options.RequestsPerMinute - reserved;
        bool? batch = kind switch
        {
            QboSlotKind.Batch => canBatch ? true : null,
            QboSlotKind.Request => canSingle ? false : null,
            QboSlotKind.BatchOrRequest => canBatch ? true : canSingle ? false : null,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a slot kind."),
        };
        if (batch is true)
        {
            _batchesGranted++;
        }

        if (batch is not null)
        {
            _granted++;
        }

        return batch;
    }

    /// <summary>How long until the oldest request or batch leaves the minute, the oldest request leaves the second, or the room kept for batches ends.</summary>
    private TimeSpan UntilNextChange(long now)
    {
        var next = Math.Min(Leaves(_requests, _minute), Leaves(_batches, _minute));
        next = Math.Min(next, Leaves(_lastSecond, _second));
        if (_batchWanted is { } wanted && wanted > now - _minute)
        {
            next = Math.Min(next, wanted + _minute);
        }

        // Nothing will leave a window: only a slot coming back changes anything.
        // Whole milliseconds, rounded up: a timer rounds down, and a wait of 0 would spin until the clock moves. At least
        // one: an entry may leave between the look and now (a negative wait would make Task.Delay throw and fail the run).
        return next == long.MaxValue
            ? Timeout.InfiniteTimeSpan
            : TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((next - now + 1) / (double)TimeSpan.TicksPerMillisecond)));
    }

    /// <summary>When the oldest entry of <paramref name="times"/> leaves a window <paramref name="length"/> long; never for none.</summary>
    private static long Leaves(Queue<long> times, long length) => times.Count > 0 ? times.Peek() + length : long.MaxValue;

    private static void Trim(Queue<long> times, long oldestKept)
    {
        while (times.Count > 0 && times.Peek() <= oldestKept)
        {
            times.Dequeue();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

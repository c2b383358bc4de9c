namespace Jobkore.QuickBooksSandbox.Limits;

/// <summary>
/// One company's throttle (docs/quickbooks-api.md §3): requests in the last minute and in the last second, batch requests
/// in the last minute, and requests in flight. Each window slides and counts a request when it arrives. A request over
/// any limit is refused with 429, as Intuit does, instead of queued.
/// </summary>
internal sealed class CompanyLimits
{
    private readonly Queue<DateTimeOffset> _requests = new();
    private readonly Queue<DateTimeOffset> _lastSecond = new();
    private readonly Queue<DateTimeOffset> _batches = new();
    private int _inFlight;

    /// <summary>Takes a slot, or returns false when the company is over a limit. Release a taken slot with <see cref="Leave"/>.</summary>
    public bool TryEnter(SandboxLimitsOptions limits, bool isBatch, DateTimeOffset now)
    {
        var minute = TimeSpan.FromMinutes(1) / limits.TimeScale;
        var second = TimeSpan.FromSeconds(1) / limits.TimeScale;
        lock (this)
        {
            Trim(_requests, now - minute);
            Trim(_lastSecond, now - second);
            Trim(_batches, now - minute);
            if (_inFlight >= limits.ConcurrentRequests
                || _requests.Count >= limits.RequestsPerMinute
                || _lastSecond.Count >= limits.RequestsPerSecond
                || (isBatch && _batches.Count >= limits.BatchRequestsPerMinute))
            {
                return false;
            }

            _inFlight++;
            _requests.Enqueue(now);
            _lastSecond.Enqueue(now);
            if (isBatch)
            {
                _batches.Enqueue(now);
            }

            return true;
        }
    }

    public void Leave()
    {
        lock (this)
        {
            _inFlight--;
        }
    }

    private static void Trim(Queue<DateTimeOffset> times, DateTimeOffset oldestKept)
    {
        while (times.Count > 0 && times.Peek() <= oldestKept)
        {
            times.Dequeue();
        }
    }
}

using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.QuickBooks.Client;

/// <summary>
/// Keeps each company under Intuit's limits (facts §3) by queueing instead of bouncing off them: at most
/// <see cref="QboClientOptions.ConcurrentRequests"/> at once and <see cref="QboClientOptions.RequestsPerMinute"/> in any minute.
/// </summary>
public sealed class QboRateLimiter(IOptions<QboClientOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, (ConcurrencyLimiter Concurrency, SlidingWindowRateLimiter PerMinute)> _limiters = new();

    /// <summary>Waits for a slot; dispose the result when the response has arrived.</summary>
    public async ValueTask<IDisposable> AcquireAsync(string realmId, CancellationToken cancellationToken)
    {
        var (concurrency, perMinute) = _limiters.GetOrAdd(realmId, _ => Create(options.Value));
        var minute = await perMinute.AcquireAsync(1, cancellationToken);
        minute.Dispose(); // a window permit is spent once taken
        return await concurrency.AcquireAsync(1, cancellationToken);
    }

    public void Dispose()
    {
        foreach (var (concurrency, perMinute) in _limiters.Values)
        {
            concurrency.Dispose();
            perMinute.Dispose();
        }
    }

    private static (ConcurrencyLimiter, SlidingWindowRateLimiter) Create(QboClientOptions options) =>
        (new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = options.ConcurrentRequests, QueueLimit = int.MaxValue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst }),
         new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
         {
             PermitLimit = options.RequestsPerMinute,
             Window = TimeSpan.FromMinutes(1),
             SegmentsPerWindow = 12,
             QueueLimit = int.MaxValue,
             QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
             AutoReplenishment = true,
         }));
}

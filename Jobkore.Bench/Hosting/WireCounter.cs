using System.Net;

namespace Jobkore.Bench.Hosting;

/// <summary>
/// Counts the QBO API requests that actually leave the app (reads apart), and the 429s that come back, on the named QuickBooks
/// HttpClient below its resilience handler, so every retry is seen.
/// </summary>
internal sealed class WireCounter
{
    private int _requests;
    private int _reads;
    private int _throttled;

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Of <see cref="Requests"/>, the reads (queries, change data capture, reads by id): Intuit meters these (docs/quickbooks-api.md §10).</summary>
    public int Reads => Volatile.Read(ref _reads);

    public int Throttled => Volatile.Read(ref _throttled);

    public DelegatingHandler CreateHandler() => new Handler(this);

    private sealed class Handler(WireCounter counter) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref counter._requests);
            if (request.Method == HttpMethod.Get)
            {
                Interlocked.Increment(ref counter._reads);
            }
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref counter._throttled);
            }

            return response;
        }
    }
}

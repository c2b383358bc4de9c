using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.QuickBooks.Client;

/// <summary>
/// The client's one resilience handler. Every request waits for its company's limiter. A 429 is answered by waiting
/// (Retry-After, else Intuit's 60 s) and trying again, never by failing. A transient failure (5xx, timeout, dropped
/// connection) is retried with jittered exponential backoff, but only when the request is safe to retry: a read, or a
/// write carrying a requestid that QBO replays instead of doing twice.
/// </summary>
public sealed partial class QboResilienceHandler(QboRateLimiter limiter, IOptions<QboClientOptions> options, TimeProvider timeProvider, ILogger<QboResilienceHandler> logger)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.TryGetValue(QboRequestOptions.RealmId, out var realmId);
        request.Options.TryGetValue(QboRequestOptions.SafeToRetry, out var safeToRetry);
        request.Options.TryGetValue(QboRequestOptions.IsBatch, out var isBatch);
        request.Options.TryGetValue(QboRequestOptions.Slot, out var heldSlot);
        realmId ??= "(none)";
        var settings = options.Value;
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                // The caller's slot carries the first attempt; every retry waits for a slot of its own.
                using var slot = heldSlot?.TryClaim() == true && heldSlot.IsBatch == isBatch
                    ? heldSlot
                    : await limiter.AcquireAsync(realmId, isBatch ? QboSlotKind.Batch : QboSlotKind.Request, cancellationToken);
                response = await base.SendAsync(attempt == 1 ? request : Copy(request, body), cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested
                                       && safeToRetry && attempt < settings.TransientAttempts)
            {
                LogTransientRetry(logger, request.Method.Method, realmId, ex.GetType().Name, attempt, null);
                await Task.Delay(Backoff(settings, attempt), timeProvider, cancellationToken);
                continue;
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? settings.ThrottleWait / settings.TimeScale;
                LogThrottled(logger, realmId, wait.TotalSeconds, TidOf(response));
                response.Dispose();
                await Task.Delay(wait, timeProvider, cancellationToken);
                continue;
            }

            if ((int)response.StatusCode >= 500 && safeToRetry && attempt < settings.TransientAttempts)
            {
                LogTransientRetry(logger, request.Method.Method, realmId, $"HTTP {(int)response.StatusCode}", attempt, TidOf(response));
                response.Dispose();
                await Task.Delay(Backoff(settings, attempt), timeProvider, cancellationToken);
                continue;
            }

            return response;
        }
    }

    /// <summary>A fresh message for a retry: a message that went out once is not sent again.</summary>
    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        return copy;
    }

    private static TimeSpan Backoff(QboClientOptions settings, int attempt)
    {
        // Full jitter: a random wait up to the exponential cap, so many retries do not arrive together.
        var cap = settings.TransientBackoff * Math.Pow(2, attempt - 1);
        return TimeSpan.FromTicks((long)(cap.Ticks * Random.Shared.NextDouble()) + 1);
    }

    private static string? TidOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("intuit_tid", out var values) ? values.FirstOrDefault() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "QuickBooks throttled company {RealmId}; waiting {Seconds} s before trying again (intuit_tid {IntuitTid})")]
    private static partial void LogThrottled(ILogger logger, string realmId, double seconds, string? intuitTid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "QuickBooks {Method} for company {RealmId} failed transiently ({Reason}, intuit_tid {IntuitTid}) on attempt {Attempt}; retrying")]
    private static partial void LogTransientRetry(ILogger logger, string method, string realmId, string reason, int attempt, string? intuitTid);
}

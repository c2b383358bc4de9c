using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Jobkore.Core.QuickBooks.Client;

/// <summary>
/// The client's resilience pipeline, on Microsoft.Extensions.Http.Resilience. Outermost first:
/// <list type="number">
/// <item>A 429 is answered by waiting (Retry-After, else Intuit's 60 s) and trying again, never by failing.</item>
/// <item>A transient failure (5xx, timeout, dropped connection) is retried with jittered exponential backoff, but only
/// when the request is safe to retry: a read, or a write carrying a requestid that QBO replays instead of doing twice.</item>
/// <item>Every attempt waits for a slot of its company's limits (<see cref="QboRateLimiter"/>), unless the caller
/// carried one in (<see cref="QboSlot.Carry"/>): that one goes with the first attempt.</item>
/// <item>Then it waits at most <see cref="QboClientOptions.AttemptTimeout"/> for the answer.</item>
/// </list>
/// </summary>
public static partial class QboResilience
{
    public const string PipelineName = "QuickBooks";

    /// <summary>Adds the pipeline to the QuickBooks HTTP client.</summary>
    public static IHttpClientBuilder AddQboResilience(this IHttpClientBuilder builder)
    {
        // The pipeline bounds each attempt; HttpClient's own timeout would also count the waits for a slot and after a
        // 429, and fail a request that is only being patient.
        builder.ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddResilienceHandler(PipelineName, (pipeline, context) =>
        {
            var services = context.ServiceProvider;
            pipeline.TimeProvider = services.GetRequiredService<TimeProvider>();
            Configure(pipeline, services.GetRequiredService<QboRateLimiter>(), services.GetRequiredService<IOptions<QboClientOptions>>().Value,
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(QboResilience).FullName!));
        });
        return builder;
    }

    /// <summary>The same pipeline as a handler of its own, for a client put together by hand.</summary>
    public static DelegatingHandler CreateHandler(QboRateLimiter limiter, QboClientOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        Configure(pipeline, limiter, options, logger);
        return new ResilienceHandler(pipeline.Build());
    }

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, QboRateLimiter limiter, QboClientOptions options, ILogger logger)
    {
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            Name = "Throttled",
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Constant,
            UseJitter = false,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Result?.Headers.RetryAfter?.Delta ?? options.ThrottleWait / options.TimeScale),
            OnRetry = args =>
            {
                LogThrottled(logger, RealmOf(args.Context), args.RetryDelay.TotalSeconds, TidOf(args.Outcome.Result));
                return default;
            },
        });

        if (options.TransientAttempts > 1)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "Transient",
                MaxRetryAttempts = options.TransientAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.TransientBackoff,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(SafeToRetry(args.Context) && IsTransient(args.Outcome, args.Context.CancellationToken)),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception?.GetType().Name ?? $"HTTP {(int)args.Outcome.Result!.StatusCode}";
                    LogTransientRetry(logger, args.Context.GetRequestMessage()?.Method.Method, RealmOf(args.Context), reason, args.AttemptNumber + 1, TidOf(args.Outcome.Result));
                    return default;
                },
            });
        }

        pipeline.AddRateLimiter(new RateLimiterStrategyOptions { Name = "Pacing", RateLimiter = args => AcquireAsync(limiter, args.Context) });
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "Attempt", Timeout = options.AttemptTimeout });
    }

    private static async ValueTask<RateLimitLease> AcquireAsync(QboRateLimiter limiter, ResilienceContext context)
    {
        var isBatch = context.GetRequestMessage()?.Options.TryGetValue(QboRequestOptions.IsBatch, out var batch) == true && batch;
        var realmId = RealmOf(context);
        return QboSlot.TakeCarried(realmId, isBatch)
            ?? await limiter.AcquireAsync(new QboPacedRequest(realmId, isBatch ? QboSlotKind.Batch : QboSlotKind.Request), 1, context.CancellationToken);
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        { Exception: TaskCanceledException or TimeoutException or TimeoutRejectedException } => !cancellationToken.IsCancellationRequested,
        { Result.StatusCode: var status } => (int)status >= 500,
        _ => false,
    };

    private static bool SafeToRetry(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(QboRequestOptions.SafeToRetry, out var safe) == true && safe;

    private static string RealmOf(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(QboRequestOptions.RealmId, out var realmId) == true ? realmId : "(none)";

    private static string? TidOf(HttpResponseMessage? response) =>
        response?.Headers.TryGetValues("intuit_tid", out var values) == true ? values.FirstOrDefault() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "QuickBooks throttled company {RealmId}; waiting {Seconds} s before trying again (intuit_tid {IntuitTid})")]
    private static partial void LogThrottled(ILogger logger, string realmId, double seconds, string? intuitTid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "QuickBooks {Method} for company {RealmId} failed transiently ({Reason}, intuit_tid {IntuitTid}) on attempt {Attempt}; retrying")]
    private static partial void LogTransientRetry(ILogger logger, string? method, string realmId, string reason, int attempt, string? intuitTid);
}

using System.ComponentModel.DataAnnotations;

namespace Jobkore.Core.QuickBooks.Client;

/// <summary>How hard the client pushes one company, and how it backs off. Section "QuickBooks:Client".</summary>
public sealed class QboClientOptions
{
    public const string SectionName = "QuickBooks:Client";

    /// <summary>Intuit allows 500 requests a minute per company (docs/quickbooks-api.md §3).</summary>
    [Range(1, 100_000)]
    public int RequestsPerMinute { get; set; } = 500;

    /// <summary>
    /// Intuit allows 10 requests a second per company, batch requests included (docs/quickbooks-api.md §3, §10 "Limits").
    /// A request counts until a second after its answer, so with answers that take long a company gets fewer.
    /// </summary>
    [Range(1, 100_000)]
    public int RequestsPerSecond { get; set; } = 10;

    /// <summary>Intuit allows 40 batch requests a minute per company, each counting as a request too (docs/quickbooks-api.md §3, §10 "Limits").</summary>
    [Range(1, 100_000)]
    public int BatchRequestsPerMinute { get; set; } = 40;

    /// <summary>Intuit allows 10 concurrent requests per company (docs/quickbooks-api.md §3).</summary>
    [Range(1, 100)]
    public int ConcurrentRequests { get; set; } = 10;

    /// <summary>How long to wait after a 429 when QBO gives no Retry-After: Intuit says 60 s (docs/quickbooks-api.md §3).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ThrottleWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many times faster than real time Intuit's minute and second pass: 1 against QuickBooks. Only for a sandbox whose
    /// own <c>QuickBooks:Limits:TimeScale</c> shortens its minute (the benchmark): set both to the same value. The
    /// per-minute and per-second windows and the wait after a 429 shrink with it.
    /// </summary>
    [Range(0.001, 10_000)]
    public double TimeScale { get; set; } = 1;

    /// <summary>
    /// How long one attempt waits for QuickBooks' answer, not counting its wait for a slot or after a 429; past it, the
    /// attempt is a transient failure (retried when the request is safe to retry).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Attempts for a transient failure (5xx, timeout, dropped connection) of a request that is safe to retry.</summary>
    [Range(1, 20)]
    public int TransientAttempts { get; set; } = 5;

    /// <summary>First backoff; doubles each attempt, with full jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan TransientBackoff { get; set; } = TimeSpan.FromSeconds(1);
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Jobkore.QuickBooksSandbox;

/// <summary>
/// The sandbox's developer-app registration, token lifetimes (docs/quickbooks-api.md §1), limits and storage. Bound from the
/// "QuickBooks" section, so the app and its built-in sandbox share QuickBooks:ClientId and QuickBooks:ClientSecret.
/// </summary>
public sealed class QuickBooksSandboxOptions
{
    public const string SectionName = "QuickBooks";

    /// <summary>The demo app every fresh Jobkore uses against the built-in sandbox.</summary>
    public const string DemoClientId = "jobkore-demo-client";
    public const string DemoClientSecret = "jobkore-demo-secret";

    /// <summary>The verifier token of the demo app's webhooks; the app checks signatures with the same QuickBooks:WebhookVerifierToken.</summary>
    public const string DemoWebhookVerifierToken = "jobkore-demo-webhook-verifier";

    [Required]
    public string ClientId { get; set; } = DemoClientId;

    [Required]
    public string ClientSecret { get; set; } = DemoClientSecret;

    public string AppName { get; set; } = "Jobkore";

    /// <summary>Registered redirect URIs. Empty: the app's own <c>/integrations/quickbooks/callback</c> on the origin the request came to.</summary>
    public List<string> RedirectUris { get; } = [];

    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(3600);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromSeconds(8_726_400);

    /// <summary>How long a refresh token still works after a newer one was issued (Intuit: 24 h).</summary>
    public TimeSpan RefreshTokenGracePeriod { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A SQLite file that keeps the sandbox across restarts; unset keeps it in memory. Relative to the host's content root.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>
    /// Companies to seed beyond the two, for a developer's sandbox that several businesses connect to at once: "Sandbox
    /// Company US 3", "… 4" and so on, realm ids 9341452713218476 on, each seeded like Acme. Added to a sandbox file that
    /// lacks them at start; a sandbox shared by tenants seeds none (each tenant gets its own company instead).
    /// </summary>
    [Range(0, Seed.SandboxSeed.MaxExtraCompanies)]
    public int ExtraCompanies { get; set; }

    /// <summary>Serve the fault-injection controls at {base}/_sandbox/faults and /_sandbox/tokens; never served when tenants share the sandbox.</summary>
    public bool FaultInjectionEndpoints { get; set; }

    /// <summary>Intuit's per-company limits (docs/quickbooks-api.md §3).</summary>
    public SandboxLimitsOptions Limits { get; set; } = new();

    /// <summary>
    /// The app's webhook Verifier Token, which Intuit shows in the developer portal: the key of every webhook POST's
    /// intuit-signature (docs/quickbooks-api.md §6 "Signature").
    /// </summary>
    [Required]
    public string WebhookVerifierToken { get; set; } = DemoWebhookVerifierToken;

    /// <summary>Where and how the sandbox sends webhooks for every change to its companies' records.</summary>
    [ValidateObjectMembers]
    public SandboxWebhooksOptions Webhooks { get; set; } = new();
}

/// <summary>How the app's webhooks are sent: Intuit's two payload formats, switched in its developer portal (docs/quickbooks-api.md §10).</summary>
public enum SandboxWebhookFormat
{
    CloudEvents,
    Legacy,
}

/// <summary>
/// The app's webhook subscription, as registered in Intuit's developer portal, and Intuit's delivery timings
/// (docs/quickbooks-api.md §10 "Webhooks": 200 within 3 s, retries at 10 s … 6 h, up to ~100 events a POST).
/// </summary>
public sealed class SandboxWebhooksOptions : IValidatableObject
{
    /// <summary>Off: no change is announced, whatever <see cref="Url"/> says.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The endpoint webhooks are POSTed to: an absolute http(s) URL, or a path such as "/integrations/quickbooks/webhooks"
    /// on the sandbox host's own listening address (the app, when the app serves the sandbox). Unset: none are sent.
    /// </summary>
    public string? Url { get; set; }

    public SandboxWebhookFormat Format { get; set; } = SandboxWebhookFormat.CloudEvents;

    /// <summary>How long events are gathered after the first, to be sent together in one POST (at most 100 in one).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A POST not answered 200 within this long has failed, and is sent again later.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How many times faster than Intuit's the retry schedule and the events' 24 hours of life run: 60 makes 10 s last 167 ms.</summary>
    [Range(0.001, 1_000_000)]
    public double RetryTimeScale { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Url is { Length: > 0 } url && !url.StartsWith('/')
            && !(Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"))
        {
            yield return new ValidationResult(
                $"QuickBooks:Webhooks:Url '{url}' is neither an absolute http(s) URL nor a path starting with '/' (resolved against the sandbox host's own address).",
                [nameof(Url)]);
        }
    }
}

/// <summary>Per-company throttling as Intuit does it; answered with 429 code 3001 (docs/quickbooks-api.md §3).</summary>
public sealed class SandboxLimitsOptions
{
    public bool Enabled { get; set; } = true;

    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 500;

    /// <summary>Intuit's 10 requests a second per company and app, batch requests included (docs/quickbooks-api.md §3, §10 "Limits").</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 10;

    [Range(1, 1000)]
    public int ConcurrentRequests { get; set; } = 10;

    [Range(1, 100_000)]
    public int BatchRequestsPerMinute { get; set; } = 40;

    /// <summary>
    /// How many times faster than real time a "minute" and a "second" pass: 60 makes Intuit's minute last one second (and
    /// its second 17 ms), for benchmarks.
    /// </summary>
    [Range(0.001, 10_000)]
    public double TimeScale { get; set; } = 1;
}

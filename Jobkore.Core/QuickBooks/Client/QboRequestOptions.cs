namespace Jobkore.Core.QuickBooks.Client;

/// <summary>What the client tells its resilience pipeline (<see cref="QboResilience"/>) about a request.</summary>
internal static class QboRequestOptions
{
    /// <summary>The realm the request is for: limits are per company (docs/quickbooks-api.md §3).</summary>
    public static readonly HttpRequestOptionsKey<string> RealmId = new("Jobkore.Qbo.RealmId");

    /// <summary>
    /// True for reads and for writes that carry a <c>requestid</c>: QBO replays those instead of doing them twice
    /// (docs/quickbooks-api.md §2), so they may be retried. A write without one is never retried.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> SafeToRetry = new("Jobkore.Qbo.SafeToRetry");

    /// <summary>True for a batch request: it also spends one of the company's batch requests a minute.</summary>
    public static readonly HttpRequestOptionsKey<bool> IsBatch = new("Jobkore.Qbo.IsBatch");
}

using Jobkore.Core.Telemetry;

namespace Jobkore.Core.QuickBooks.Client;

/// <summary>
/// Measures every HTTP request that leaves for the QuickBooks API: it sits inside the resilience pipeline (<see cref="QboResilience"/>),
/// so each retry and each request answered 429 is one request here, and the wait for a slot of the company's limits is
/// not part of its duration. A span per request carries its method, kind, status and <c>intuit_tid</c>; never its URL
/// (a query names customers), body or token.
/// </summary>
public sealed class QboTelemetryHandler(SyncTelemetry telemetry, TimeProvider timeProvider) : DelegatingHandler
{
    /// <summary>Reads are metered by Intuit (docs/quickbooks-api.md §10 "Metering"), so they are told apart: queries, change data capture, reads by id.</summary>
    public const string Query = "query";
    public const string Cdc = "cdc";
    public const string Get = "get";
    public const string Write = "write";
    public const string Batch = "batch";

    /// <summary>Every kind of read.</summary>
    public static readonly IReadOnlyList<string> Reads = [Query, Cdc, Get];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var kind = KindOf(request);
        using var activity = telemetry.StartRequest(request.Method.Method, kind);
        var started = timeProvider.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception ex)
        {
            telemetry.RequestUnanswered(activity, kind, ex, timeProvider.GetElapsedTime(started));
            throw;
        }

        var tid = response.Headers.TryGetValues("intuit_tid", out var values) ? values.FirstOrDefault() : null;
        telemetry.RequestAnswered(activity, kind, (int)response.StatusCode, tid, timeProvider.GetElapsedTime(started));
        return response;
    }

    private static string KindOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(QboRequestOptions.IsBatch, out var isBatch) && isBatch ? Batch
        : request.Method != HttpMethod.Get ? Write
        : request.RequestUri?.AbsolutePath.EndsWith("/query", StringComparison.OrdinalIgnoreCase) == true ? Query
        : request.RequestUri?.AbsolutePath.EndsWith("/cdc", StringComparison.OrdinalIgnoreCase) == true ? Cdc
        : Get;
}

using System.Globalization;
using System.Net.Http.Headers;

namespace Jobkore.QuickBooksSandbox.Webhooks;

/// <summary>
/// Sends one webhook POST with Intuit's headers (docs/quickbooks-api.md §6 "Other request headers seen") and waits for
/// its answer at most the response timeout, on the sandbox's clock. Redirects are not followed (what Intuit does with
/// one is UNCONFIRMED; a 3xx is not the 200 it asks for).
/// </summary>
internal sealed class WebhookSender(TimeProvider time) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = Timeout.InfiniteTimeSpan, // the response timeout is the sandbox's own, on its clock
    };

    public async Task<WebhookAttempt> SendAsync(Uri url, WebhookPost post, TimeSpan responseTimeout, CancellationToken stoppingToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(post.Body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, post.Signature);
        request.Headers.TryAddWithoutValidation("intuit-created-time", WebhookPayload.Rfc3339(post.CreatedAt));
        request.Headers.TryAddWithoutValidation("intuit-t-id", post.TransactionId);
        request.Headers.TryAddWithoutValidation("intuit-notification-schema-version", "0.1");
        request.Headers.TryAddWithoutValidation("User-Agent", "intuit_notification_server/0.1");
        using var deadline = new CancellationTokenSource(responseTimeout, time);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stoppingToken);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation.Token);
            var status = (int)response.StatusCode;
            return new WebhookAttempt(status, status == StatusCodes.Status200OK ? null : string.Create(CultureInfo.InvariantCulture, $"Answered {status}, not 200."));
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return new WebhookAttempt(null, string.Create(CultureInfo.InvariantCulture, $"No answer within {responseTimeout.TotalMilliseconds:0} ms."));
        }
        catch (HttpRequestException exception)
        {
            return new WebhookAttempt(null, exception.Message);
        }
    }

    public void Dispose() => _http.Dispose();
}

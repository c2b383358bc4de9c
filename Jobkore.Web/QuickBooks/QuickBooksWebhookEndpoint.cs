using Jobkore.Core.QuickBooks;
using Jobkore.Core.QuickBooks.Webhooks;
using Microsoft.Extensions.Options;

namespace Jobkore.Web.QuickBooks;

/// <summary>
/// The webhook endpoint registered with Intuit (docs/design.md §11): anonymous, but only a body signed with
/// <c>QuickBooks:WebhookVerifierToken</c> is taken in. 200 at once once its events are kept (a look at the changes runs
/// in the sync worker, well within Intuit's 3 s), 401 for a missing or wrong signature, 400 for a signed body in
/// neither format, 413 beyond <see cref="QuickBooksWebhookReceiver.MaxBodyBytes"/>. Nothing of the body is logged.
/// </summary>
internal static class QuickBooksWebhookEndpoint
{
    public const string Path = "/integrations/quickbooks/webhooks";
    public const string SignatureHeader = "intuit-signature";

    public static IEndpointRouteBuilder MapQuickBooksWebhook(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, ReceiveAsync).AllowAnonymous().DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, QuickBooksWebhookReceiver receiver, IOptions<QuickBooksOptions> options, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > QuickBooksWebhookReceiver.MaxBodyBytes)
        {
            return TooLarge();
        }

        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > QuickBooksWebhookReceiver.MaxBodyBytes)
            {
                return TooLarge();
            }

            body.Write(buffer, 0, read);
        }

        var receipt = await receiver.ReceiveAsync(body.ToArray(), context.Request.Headers[SignatureHeader].FirstOrDefault(), options.Value.WebhookVerifierToken, cancellationToken);
        // Answered with a short text: the app's status code pages would otherwise render a page for an empty 4xx.
        return receipt switch
        {
            WebhookReceipt.Accepted => Results.Text("Received.", statusCode: StatusCodes.Status200OK),
            WebhookReceipt.Malformed => Results.Text("Neither a CloudEvents array nor an eventNotifications object.", statusCode: StatusCodes.Status400BadRequest),
            WebhookReceipt.NotConfigured => Results.Text("Webhooks are not set up here: QuickBooks:WebhookVerifierToken is not configured.", statusCode: StatusCodes.Status401Unauthorized),
            _ => Results.Text("Missing or wrong intuit-signature.", statusCode: StatusCodes.Status401Unauthorized),
        };
    }

    private static IResult TooLarge() =>
        Results.Text($"A webhook delivery is at most {QuickBooksWebhookReceiver.MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
}

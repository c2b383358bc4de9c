using Jobkore.Core.QuickBooks;
using Jobkore.Core.QuickBooks.Connect;
using Jobkore.Core.QuickBooks.OAuth;
using Jobkore.Core.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Jobkore.Web.QuickBooks;

/// <summary>
/// Connect QuickBooks: <c>/integrations/quickbooks/connect</c> sends an admin's browser to Intuit, and Intuit sends it
/// back to <c>/integrations/quickbooks/callback</c> (the redirect URI registered with Intuit). Both end on
/// Settings › Integrations with an outcome the page turns into a message, always by a redirect. The other URLs
/// registered with Intuit: the Launch URL <c>/integrations/quickbooks/launch</c> (sign in, then Settings ›
/// Integrations) and the Disconnect URL, the page <see cref="DisconnectedPage"/>.
/// </summary>
internal static partial class QuickBooksEndpoints
{
    public const string CallbackPath = "/integrations/quickbooks/callback";
    public const string ConnectPath = "/integrations/quickbooks/connect";
    public const string LaunchPath = "/integrations/quickbooks/launch";
    public const string DisconnectedPage = "/integrations/quickbooks/disconnected";
    public const string IntegrationsPage = "/settings/integrations";

    public static IEndpointRouteBuilder MapQuickBooksEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ConnectPath, ConnectAsync).RequireAuthorization(Policies.IntegrationAdmin);
        endpoints.MapGet(CallbackPath, CallbackAsync).RequireAuthorization();

        // Signed in by then: an anonymous browser is sent to sign in first, and comes back here.
        endpoints.MapGet(LaunchPath, (HttpContext context) => Results.Redirect($"{context.Request.PathBase}{IntegrationsPage}")).RequireAuthorization();
        return endpoints;
    }

    /// <summary>The outcome as it travels in the query string (<c>?quickbooks=…</c>) back to the integrations page.</summary>
    public static string Slug(ConnectOutcome outcome) => outcome switch
    {
        ConnectOutcome.Connected => "connected",
        ConnectOutcome.Declined => "declined",
        ConnectOutcome.InvalidState => "invalid-state",
        ConnectOutcome.Expired => "expired",
        ConnectOutcome.OtherCompanyMapped => "other-company",
        _ => "failed",
    };

    private static async Task<IResult> ConnectAsync(HttpContext context, QuickBooksConnector connector, IOptions<QuickBooksOptions> options, CancellationToken cancellationToken)
    {
        Uri authorize;
        try
        {
            authorize = await connector.StartAsync(RedirectUri(context.Request, options.Value), cancellationToken);
        }
        catch (IntuitOAuthException)
        {
            return Results.Redirect($"{context.Request.PathBase}{IntegrationsPage}?quickbooks=unreachable");
        }

        return Results.Redirect(authorize.IsAbsoluteUri ? authorize.ToString() : $"{context.Request.PathBase}{authorize.OriginalString}");
    }

    private static async Task<IResult> CallbackAsync(
        HttpContext context,
        QuickBooksConnector connector,
        IOptions<QuickBooksOptions> options,
        [FromQuery] string? code,
        [FromQuery] string? state,
        [FromQuery] string? realmId,
        [FromQuery] string? error,
        [FromQuery(Name = "error_description")] string? errorDescription,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        ConnectResult result;
        try
        {
            result = await connector.CompleteAsync(new QuickBooksCallback(code, state, realmId, error, errorDescription), RedirectUri(context.Request, options.Value), cancellationToken);
        }
        catch (NotAllowedException)
        {
            result = new ConnectResult(ConnectOutcome.InvalidState);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // This URL carries an authorization code: whatever broke, it answers with a redirect, never an error page.
            LogCallbackFailed(loggers.CreateLogger(typeof(QuickBooksEndpoints).FullName!), ex);
            result = new ConnectResult(ConnectOutcome.Failed);
        }

        return Results.Redirect($"{context.Request.PathBase}{IntegrationsPage}?quickbooks={Slug(result.Outcome)}");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Connecting QuickBooks failed unexpectedly in the callback; the browser was sent back to Settings › Integrations")]
    private static partial void LogCallbackFailed(ILogger logger, Exception exception);

    /// <summary>
    /// <c>QuickBooks:RedirectUri</c> when set, else the callback on the address the browser used — behind a proxy, the
    /// public https one when <c>ForwardedHeaders:Enabled</c> is on.
    /// </summary>
    private static Uri RedirectUri(HttpRequest request, QuickBooksOptions options) =>
        options.RedirectUri ?? new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{CallbackPath}");
}

using System.Security.Cryptography;

namespace Jobkore.Web.Security;

/// <summary>
/// The response headers every page and endpoint carries: a Content-Security-Policy fit for Blazor Server (scripts only
/// from this origin, plus the import map with a per-request nonce; the circuit's WebSocket to this origin; MudBlazor's
/// style attributes), no framing, no MIME sniffing and no referrer (OAuth callbacks carry codes in their query).
/// Nothing is stored by a browser or proxy (<c>Cache-Control: no-cache, no-store</c>, Intuit's security review) unless
/// the endpoint chose its own caching: only the static assets do.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceItemKey = "jobkore.csp-nonce";

    /// <summary>Where the sign-in form may go: this origin, and Microsoft's sign-in when Entra ID is configured.</summary>
    private const string FormActions = "'self' https://login.microsoftonline.com";

    public static IApplicationBuilder UseJobkoreSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceItemKey] = nonce;
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = string.Join("; ",
            "default-src 'self'",
            $"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            $"form-action {FormActions}",
            "frame-ancestors 'none'");
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        context.Response.OnStarting(static state =>
        {
            var response = ((HttpContext)state).Response;
            if (string.IsNullOrEmpty(response.Headers.CacheControl))
            {
                response.Headers.CacheControl = "no-cache, no-store";
                response.Headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        }, context);
        await next(context);
    });

    /// <summary>The nonce this request's policy allows inline scripts with (the import map).</summary>
    public static string? Nonce(HttpContext context) => context?.Items[NonceItemKey] as string;
}

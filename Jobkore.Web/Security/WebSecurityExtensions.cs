using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Jobkore.Web.Security;

/// <summary>
/// Intuit's security requirements that are about the HTTP conversation itself: the sign-in and antiforgery cookies,
/// a TLS-terminating proxy in front, and TRACE (the response headers are in <see cref="SecurityHeaders"/>).
/// </summary>
internal static class WebSecurityExtensions
{
    public static IServiceCollection AddJobkoreWebSecurity(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) => settings.Value.ApplyTo(options));

        // Every cookie (session, antiforgery, the sign-in's correlation and nonce) goes through the cookie policy:
        // HttpOnly, and Secure outside Development whatever the scheme the request arrived on (a proxy in front may
        // speak plain HTTP to the app). In Development, Secure when the request is HTTPS, so http://localhost signs in.
        // Per cookie: SameSite Lax for the session (it must come along when Intuit or Microsoft send the browser back),
        // Strict for antiforgery; the correlation cookies keep None, as Microsoft posts its answer from its own site.
        services.Configure<CookiePolicyOptions>(options =>
        {
            options.Secure = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.HttpOnly = Microsoft.AspNetCore.CookiePolicy.HttpOnlyPolicy.Always;
        });
        services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, options =>
        {
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
        });
        services.PostConfigure<AntiforgeryOptions>(options =>
        {
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        return services;
    }

    /// <summary>First in the pipeline: the proxy's view of the request (when configured), the cookie policy, then TRACE refused.</summary>
    public static IApplicationBuilder UseJobkoreWebSecurity(this IApplicationBuilder app)
    {
        app.UseForwardedHeaders();
        app.UseCookiePolicy();
        return app.Use(static (context, next) =>
        {
            // TRACE echoes a request, cookies included, back to whoever sent it; nothing here answers it.
            if (HttpMethods.IsTrace(context.Request.Method) || string.Equals(context.Request.Method, "TRACK", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = "GET, HEAD, POST";
                return Task.CompletedTask;
            }

            return next(context);
        });
    }
}

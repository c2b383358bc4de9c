using Jobkore.Web.Health;
using Jobkore.Web.Identity;
using Jobkore.Web.QuickBooks;
using Jobkore.Web.Security;

namespace Jobkore.Web;

public static class WebApplicationExtensions
{
    /// <summary>The request pipeline and endpoints: sign-in before anything reads records, antiforgery on every form.</summary>
    public static WebApplication UseJobkoreWeb(this WebApplication app)
    {
        app.UseJobkoreWebSecurity();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseJobkoreSecurityHeaders();

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseJobkoreCurrentUser();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapJobkoreHealthEndpoints();
        app.MapAccountEndpoints();
        app.MapQuickBooksEndpoints();
        app.MapQuickBooksWebhook();
        app.MapJobkoreBuiltInSandbox();

        app.MapGet("/", () => Results.Redirect("/invoices"));
        // Our policy already says frame-ancestors 'none'; Blazor's own ('self') would be a second, looser header.
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}

using Jobkore.Web.Formatting;
using Jobkore.Web.Identity;
using MudBlazor;
using MudBlazor.Services;

namespace Jobkore.Web;

public static class WebServiceCollectionExtensions
{
    public static IServiceCollection AddJobkoreWeb(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddJobkoreAuthentication(configuration, environment);
        services.AddMudServices(config =>
        {
            config.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
            config.SnackbarConfiguration.VisibleStateDuration = 5000;
            config.SnackbarConfiguration.PreventDuplicates = false;
        });
        services.AddScoped<BusinessFormatter>();
        return services;
    }
}

public static class WebApplicationExtensions
{
    /// <summary>The request pipeline and endpoints: sign-in before anything reads records, antiforgery on every form.</summary>
    public static WebApplication UseJobkoreWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseJobkoreCurrentUser();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapGet("/", () => Results.Redirect("/invoices"));
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();
        return app;
    }
}

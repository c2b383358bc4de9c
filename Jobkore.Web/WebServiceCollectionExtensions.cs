using Jobkore.Web.Formatting;
using Jobkore.Web.Health;
using Jobkore.Web.Identity;
using Jobkore.Web.Security;
using Jobkore.Web.Telemetry;
using MudBlazor;
using MudBlazor.Services;

namespace Jobkore.Web;

public static class WebServiceCollectionExtensions
{
    public static IServiceCollection AddJobkoreWeb(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddLogging(logging =>
        {
            // These log whole request URLs, and the OAuth callback's carries an authorization code: never below
            // Warning, whatever the configuration says (secrets stay out of logs).
            logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
            logging.AddFilter("Microsoft.AspNetCore.Http.Result.RedirectResult", LogLevel.Warning);
        });
        services.AddJobkoreAuthentication(configuration, environment);
        services.AddJobkoreWebSecurity(environment);
        services.AddMudServices(config =>
        {
            config.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
            config.SnackbarConfiguration.VisibleStateDuration = 5000;
            config.SnackbarConfiguration.PreventDuplicates = false;
        });
        services.AddScoped<BusinessFormatter>();
        services.AddJobkoreHealthChecks();
        services.AddJobkoreTelemetry(configuration);
        services.AddJobkoreBuiltInSandbox(configuration, environment);
        return services;
    }
}

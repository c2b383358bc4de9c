using Jobkore.Web.Formatting;
using Jobkore.QuickBooksSandbox;
using Jobkore.Web.Identity;
using Jobkore.Web.QuickBooks;
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
        if (BuiltInSandbox.IsOn(configuration))
        {
            services.AddQuickBooksSandbox(configuration.GetSection(BuiltInSandbox.SectionName), environment.ContentRootPath);
            services.AddSingleton<Jobkore.Core.QuickBooks.OAuth.ILocalSandboxAddress, LocalSandboxAddress>();
        }

        return services;
    }
}

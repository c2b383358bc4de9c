using Jobkore.Web.Formatting;
using MudBlazor;
using MudBlazor.Services;

namespace Jobkore.Web;

public static class WebServiceCollectionExtensions
{
    public static IServiceCollection AddJobkoreWeb(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
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

using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Connect;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.QuickBooks.OAuth;
using Jobkore.Core.QuickBooks.Settings;
using Jobkore.Core.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Core.QuickBooks;

public static class QuickBooksServiceCollectionExtensions
{
    /// <summary>
    /// The QuickBooks client, the token store, connecting and disconnecting, and the sync settings. Tokens are
    /// encrypted with Data Protection keys kept on disk next to the database (<see cref="KeyRingServiceCollectionExtensions"/>),
    /// so a restart can still read them.
    /// </summary>
    public static IServiceCollection AddJobkoreQuickBooks(this IServiceCollection services, IConfiguration configuration, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<QuickBooksOptions>().Bind(configuration.GetSection(QuickBooksOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QboClientOptions>().Bind(configuration.GetSection(QboClientOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.AddJobkoreKeyRing(configuration, contentRootPath);

        services.AddSingleton<QboRateLimiter>();
        services.AddTransient<QboTelemetryHandler>();
        // Telemetry inside resilience: every retry and every 429 is a request of its own there.
        services.AddHttpClient(QboApiClientFactory.HttpClientName).AddQboResilience().AddHttpMessageHandler<QboTelemetryHandler>();
        services.AddHttpClient(nameof(IntuitEnvironments));
        services.AddHttpClient<IntuitOAuthClient>();

        services.AddSingleton<IntuitEnvironments>();
        services.AddSingleton<IIntuitEnvironments>(sp => sp.GetRequiredService<IntuitEnvironments>());
        services.AddSingleton<QboTokenProtector>();
        services.AddSingleton<QboTokenRefreshLocks>();
        services.AddSingleton<QboAccessTokenCache>();
        services.AddScoped<QboTokenStore>();
        services.AddScoped<IQboAccessTokens>(sp => sp.GetRequiredService<QboTokenStore>());
        services.AddScoped<QboApiClientFactory>();
        services.AddScoped(sp => sp.GetRequiredService<QboApiClientFactory>().Create());

        services.AddScoped<QuickBooksConnectionService>();
        services.AddScoped<QuickBooksConnectionCheck>();
        services.AddScoped<QuickBooksConnector>();
        services.AddScoped<IQuickBooksAccounts, QuickBooksAccounts>();
        services.AddScoped<QuickBooksSettingsService>();
        services.AddScoped<Webhooks.QuickBooksWebhookReceiver>();
        return services;
    }
}

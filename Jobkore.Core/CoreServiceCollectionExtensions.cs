using Jobkore.Core.Businesses;
using Jobkore.Core.Catalog;
using Jobkore.Core.Clients;
using Jobkore.Core.Data;
using Jobkore.Core.Invoices;
using Jobkore.Core.Payments;
using Jobkore.Core.QuickBooks;
using Jobkore.Core.Sync.Backplane;
using Jobkore.Core.Sync.Tracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core;

public static class CoreServiceCollectionExtensions
{
    public const string ConnectionStringName = JobkoreDatabase.ConnectionStringName;

    /// <summary>
    /// Registers Jobkore's data and services, on the database of <c>Database:Provider</c> and <c>ConnectionStrings:Jobkore</c>
    /// (<see cref="JobkoreDatabase"/>). A relative SQLite file path is taken relative to <paramref name="contentRootPath"/>.
    /// </summary>
    public static IServiceCollection AddJobkoreCore(this IServiceCollection services, IConfiguration configuration, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var database = JobkoreDatabase.FromConfiguration(configuration, contentRootPath);
        services.AddSingleton(database);

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<Telemetry.SyncTelemetry>();
        services.AddOptions<BusinessOptions>().Bind(configuration.GetSection(BusinessOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        // Instances sharing a PostgreSQL database hear each other's sync events; registered before the worker, so it
        // stops first and the backplane still sends the worker's last events.
        if (database.IsShared)
        {
            services.AddSingleton<PostgresSyncBackplane>();
            services.AddSingleton<ISyncBackplane>(sp => sp.GetRequiredService<PostgresSyncBackplane>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgresSyncBackplane>());
        }

        services.AddSingleton(sp => new Sync.SyncNotifier(sp.GetRequiredService<ILogger<Sync.SyncNotifier>>(), sp.GetService<ISyncBackplane>()));

        services.AddSingleton<IContentHashes, SyncHashes>();
        services.AddSingleton<SyncStateFeed>();
        services.AddSingleton<SyncBookkeeping>();
        // Scoped, because each context is bound to the current business of its request or circuit.
        services.AddDbContextFactory<JobkoreDbContext>(
            (sp, o) => database.Use(o).UseContentHashes(sp.GetRequiredService<IContentHashes>()).AddInterceptors(sp.GetRequiredService<SyncBookkeeping>()),
            ServiceLifetime.Scoped);

        services.AddSingleton<DefaultBusiness>();
        services.AddSingleton<BusinessProfileCache>();
        services.AddScoped<BusinessDirectory>();
        services.AddScoped<BusinessSettingsService>();
        services.AddScoped<DatabaseInitializer>();
        services.AddScoped<BusinessCalendar>();
        services.AddScoped<ClientService>();
        services.AddScoped<CatalogService>();
        services.AddScoped<InvoiceService>();
        services.AddScoped<PaymentService>();
        services.AddScoped<Sync.SyncStatuses>();
        services.AddScoped<Sync.SyncHistory>();
        services.AddScoped<Sync.Changes.QuickBooksChangeChoices>();
        services.AddScoped<Sync.NeedsAttention>();
        services.AddScoped<Sync.Matching.CustomerMatchReview>();
        services.AddScoped<Sync.SyncEngine>();
        services.AddScoped<Sync.SyncLeaseHolder>();
        services.AddScoped<Sync.SyncLeases>();
        services.AddScoped<Sync.SyncRequests>();
        services.AddSingleton<Sync.SyncRuns>();
        services.AddScoped<QuickBooks.Connections.ISyncRunStopper, Sync.SyncRunStopper>();
        services.AddOptions<Sync.SyncOptions>().Bind(configuration.GetSection(Sync.SyncOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Sync.SyncWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<Sync.SyncWorker>());
        services.AddJobkoreQuickBooks(configuration, contentRootPath);
        return services;
    }

    /// <summary>Applies migrations and prepares the business; call once at start-up, before serving requests.</summary>
    public static async Task InitializeJobkoreDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);

        // EF Core compiles a query the first time it runs (the waiting count's takes about 35 ms): at start-up, not for
        // the first person who opens the QuickBooks card or a list.
        if (services.GetService<Sync.IBusinessScopeFactory>() is { } businessScopes)
        {
            await using var businessScope = businessScopes.CreateScope(services.GetRequiredService<DefaultBusiness>().Profile);
            await businessScope.ServiceProvider.GetRequiredService<Sync.SyncStatuses>().PrepareAsync(cancellationToken);
        }
    }
}

using Jobkore.QuickBooksSandbox.Accounting;
using Jobkore.QuickBooksSandbox.OAuth;
using Jobkore.QuickBooksSandbox.Seed;
using Jobkore.QuickBooksSandbox.Tenancy;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jobkore.QuickBooksSandbox;

public static class SandboxEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Registers the sandbox: options (validated on start), its state with the seeded companies and the extra ones asked
    /// for — kept in the SQLite file named by DatabasePath (relative to <paramref name="contentRootPath"/>) or in memory —,
    /// its clock, and the background loop that delivers its webhooks.
    /// </summary>
    public static IServiceCollection AddQuickBooksSandbox(this IServiceCollection services, IConfiguration section, string? contentRootPath = null)
    {
        services.AddOptions<QuickBooksSandboxOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SandboxMount>();
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<QuickBooksSandboxOptions>>().Value.DatabasePath;
            if (string.IsNullOrWhiteSpace(path))
            {
                return new SandboxPersistence(null);
            }

            var fullPath = Path.GetFullPath(path, contentRootPath ?? AppContext.BaseDirectory);
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            return new SandboxPersistence(new Storage.SandboxStore(fullPath));
        });
        services.AddSingleton<FaultInjection.SandboxFaults>();
        services.AddSingleton<OAuth.IdTokenSigner>();
        services.AddSingleton(sp =>
        {
            var state = new SandboxState();
            sp.GetRequiredService<FaultInjection.SandboxFaults>().State = state;
            var store = sp.GetRequiredService<SandboxPersistence>().Store;

            // A sandbox shared by tenants never offers the seeded companies: each tenant's is seeded when it first consents.
            // A file seeded before keeps its companies and gains the extra ones it lacks.
            if (sp.GetService<ISandboxTenancy>() is null)
            {
                var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
                var extra = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<QuickBooksSandboxOptions>>().Value.ExtraCompanies;
                if (store?.Load(state) == true)
                {
                    foreach (var company in SandboxSeed.SeedExtra(state, extra, now))
                    {
                        store.SaveNew(company);
                    }
                }
                else
                {
                    SandboxSeed.Seed(state, now);
                    SandboxSeed.SeedExtra(state, extra, now);
                    store?.SaveAll(state);
                }
            }
            else
            {
                store?.Load(state);
            }

            return state;
        });
        services.AddSingleton<Accounting.CompanyCommits>();
        services.AddSingleton<Webhooks.WebhookOutbox>();
        services.AddSingleton<Webhooks.WebhookDeliveryLog>();
        services.AddSingleton<Webhooks.WebhookSender>();
        services.AddSingleton<Webhooks.WebhookTarget>();
        services.AddHostedService<Webhooks.WebhookDelivery>();
        services.AddSingleton(sp => new SandboxAccess(sp.GetRequiredService<SandboxState>(), sp.GetRequiredService<SandboxPersistence>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetService<ISandboxTenancy>()));
        return services;
    }

    /// <summary>
    /// Maps Intuit's paths under <paramref name="basePath"/> (e.g. "/qbo-sandbox"): discovery, authorize, token, revoke,
    /// userinfo and the Accounting API, and the sandbox's own inspection pages and changes "as a QuickBooks user". Every
    /// response carries an <c>intuit_tid</c> header, as Intuit's do. The webhook delivery state, and the fault-injection
    /// controls when configured, span every company, so they are never mapped in a sandbox shared by tenants.
    /// </summary>
    public static IEndpointRouteBuilder MapQuickBooksSandbox(this IEndpointRouteBuilder endpoints, string basePath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.ServiceProvider.GetRequiredService<SandboxMount>().BasePath = basePath.TrimEnd('/');
        var group = endpoints.MapGroup(basePath.TrimEnd('/'));
        group.AllowAnonymous();
        group.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers["intuit_tid"] = "sbx-" + Guid.NewGuid().ToString("N");
            return await next(context);
        });
        OAuthEndpoints.Map(group);
        AccountingEndpoints.Map(group);
        Inspection.InspectionEndpoints.Map(group);
        Inspection.UserChangeEndpoints.Map(group);
        var shared = endpoints.ServiceProvider.GetRequiredService<SandboxAccess>().IsShared;
        if (!shared)
        {
            Webhooks.WebhookEndpoints.Map(group);
        }

        if (endpoints.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<QuickBooksSandboxOptions>>().Value.FaultInjectionEndpoints && !shared)
        {
            FaultInjection.FaultEndpoints.Map(group);
        }

        // Anything else under the base path, any method: a catch-all, so every route above wins. Intuit's answer to a path
        // outside its API is undocumented; a JSON 404 in the API's envelope keeps a client from reading the host's page.
        group.Map("/{**rest}", (HttpContext context, TimeProvider time) => Faults.NoRoute(context.Request.Path).Answer(time.GetUtcNow())).DisableAntiforgery();
        return endpoints;
    }
}

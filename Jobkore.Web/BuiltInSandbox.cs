using Jobkore.Core.QuickBooks;
using Jobkore.QuickBooksSandbox;
using Jobkore.QuickBooksSandbox.Tenancy;
using Jobkore.Web.QuickBooks;
using Microsoft.Extensions.Options;

namespace Jobkore.Web;

/// <summary>
/// The QuickBooks sandbox that ships with the app: with <c>QuickBooks:Environment</c> = BuiltInSandbox it answers at
/// <c>/qbo-sandbox</c> on the app's own port, registered with the app's <c>QuickBooks:ClientId</c> and secret.
/// It is a development and demo tool: only Development defaults to it; elsewhere it runs only with
/// <c>QuickBooks:BuiltInSandbox:AllowInProduction</c>, and then each business gets a company of its own, inspection
/// needs the business's admin and the fault controls are never served (see <see cref="BusinessSandboxTenancy"/>).
/// With <c>QuickBooks:BuiltInSandbox:Url</c> the sandbox runs in a process of its own (the standalone host, which several
/// app processes may share): the app serves nothing at <c>/qbo-sandbox</c> and talks to that URL, under the same guard
/// outside Development; that sandbox's companies, inspection and fault controls are its own settings.
/// </summary>
internal static partial class BuiltInSandbox
{
    public const string SectionName = "QuickBooks";
    public const string BasePath = "/qbo-sandbox";
    public const string EnvironmentKey = "QuickBooks:Environment";
    public const string EnvironmentName = "BuiltInSandbox";

    /// <summary>Read as the options binder reads <c>QuickBooks:Environment</c> (any case, spaces, the number), so both always agree.</summary>
    public static bool IsOn(IConfiguration configuration) =>
        Enum.TryParse<QuickBooksEnvironment>(configuration[EnvironmentKey], ignoreCase: true, out var environment)
        && environment == QuickBooksEnvironment.BuiltInSandbox;

    /// <summary>
    /// In Development only, <c>QuickBooks:Environment</c> = BuiltInSandbox beneath every other source, so
    /// <c>dotnet run</c> needs no configuration; anywhere else the key stays unset until an operator chooses.
    /// </summary>
    public static IConfigurationManager AddBuiltInSandboxDefault(this IConfigurationManager configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.IsDevelopment())
        {
            var defaults = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
            {
                InitialData = [new(EnvironmentKey, EnvironmentName)],
            };
            configuration.Sources.Insert(0, defaults);
        }

        return configuration;
    }

    /// <summary>
    /// The sandbox's services when it is on; outside Development, refused on start unless allowed, and shared per business.
    /// With <c>QuickBooks:BuiltInSandbox:Url</c>, only its address: the sandbox itself runs elsewhere.
    /// </summary>
    public static IServiceCollection AddJobkoreBuiltInSandbox(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        if (!IsOn(configuration))
        {
            return services;
        }

        services.AddOptions<BuiltInSandboxOptions>().BindConfiguration(BuiltInSandboxOptions.SectionName).ValidateOnStart();

        // The built-in sandbox signs its webhooks with its demo verifier token unless QuickBooks:WebhookVerifierToken says
        // otherwise (both read that key), so the app checks them with the same one.
        services.PostConfigure<QuickBooksOptions>(o => o.WebhookVerifierToken ??= QuickBooksSandboxOptions.DemoWebhookVerifierToken);
        services.AddSingleton<IValidateOptions<BuiltInSandboxOptions>, BuiltInSandboxOptionsValidator>();
        if (BuiltInSandboxOptions.IsExternal(configuration))
        {
            services.AddSingleton<Core.QuickBooks.OAuth.ILocalSandboxAddress>(sp => new ExternalSandboxAddress(sp.GetRequiredService<IOptions<BuiltInSandboxOptions>>().Value.Url!));
            return services;
        }

        services.AddQuickBooksSandbox(configuration.GetSection(SectionName), environment.ContentRootPath);

        // Served by the app itself, it announces changes to the app's own webhook endpoint unless told another address.
        services.PostConfigure<QuickBooksSandboxOptions>(o => o.Webhooks.Url ??= QuickBooksWebhookEndpoint.Path);
        services.AddSingleton<Core.QuickBooks.OAuth.ILocalSandboxAddress, LocalSandboxAddress>();
        if (!environment.IsDevelopment())
        {
            services.AddSingleton<ISandboxTenancy, BusinessSandboxTenancy>();
        }

        return services;
    }

    /// <summary>
    /// Mounts the sandbox when it is on and not elsewhere; outside Development only once allowed, with a warning in the
    /// log.
    /// </summary>
    public static WebApplication MapJobkoreBuiltInSandbox(this WebApplication app)
    {
        if (!IsOn(app.Configuration))
        {
            return app;
        }

        // Read now, so a refusal stops the app before anything is mapped (ValidateOnStart would, a moment later).
        var options = app.Services.GetRequiredService<IOptions<BuiltInSandboxOptions>>().Value;
        if (options.Url is { } url)
        {
            if (!app.Environment.IsDevelopment())
            {
                LogUsedOutsideDevelopment(app.Logger, url, app.Environment.EnvironmentName);
            }

            return app;
        }

        if (!app.Environment.IsDevelopment())
        {
            LogServedOutsideDevelopment(app.Logger, app.Environment.EnvironmentName);
        }

        app.MapQuickBooksSandbox(BasePath);
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The built-in QuickBooks sandbox is served at " + BasePath + " in the {Environment} environment "
        + "(QuickBooks:BuiltInSandbox:AllowInProduction is true): a demo, not QuickBooks. Each business gets a sandbox company of its own, "
        + "its inspection pages need the business's admin and its fault controls are off.")]
    private static partial void LogServedOutsideDevelopment(ILogger logger, string environment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The QuickBooks sandbox at {Url} (QuickBooks:BuiltInSandbox:Url) is used in the {Environment} environment "
        + "(QuickBooks:BuiltInSandbox:AllowInProduction is true): a demo, not QuickBooks. Its companies, inspection pages and fault controls are that sandbox's own settings.")]
    private static partial void LogUsedOutsideDevelopment(ILogger logger, Uri url, string environment);
}

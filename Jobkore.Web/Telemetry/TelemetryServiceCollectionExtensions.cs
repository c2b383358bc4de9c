using Jobkore.Core.Telemetry;
using Jobkore.Web.Health;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Jobkore.Web.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The standard OpenTelemetry setting: where the OTLP exporter sends (environment or configuration).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string DefaultServiceName = "Jobkore";
    private const string ServiceNameKey = "OTEL_SERVICE_NAME";

    /// <summary>
    /// OpenTelemetry metrics and traces: the sync's meter and activity source (<see cref="SyncTelemetry"/>), ASP.NET
    /// Core, HttpClient and the runtime, sent by the OTLP exporter to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; its other
    /// <c>OTEL_*</c> settings (protocol, headers, service name) apply as usual. Unset, nothing is collected or sent: the
    /// SDK is not even registered, so a sync spends nothing on spans no one would read (the instruments stay, and
    /// <c>dotnet-counters</c> can still read them).
    /// </summary>
    public static IServiceCollection AddJobkoreTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service; a service added here would override it.
                if (string.IsNullOrWhiteSpace(configuration[ServiceNameKey]))
                {
                    resource.AddService(DefaultServiceName);
                }
            })
            .WithMetrics(metrics => metrics
                .AddMeter(SyncTelemetry.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(SyncTelemetry.ActivitySourceName)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation())
            .UseOtlpExporter();
        return services;
    }

    /// <summary>Probes come every few seconds and say nothing a trace would: kept out of traces (their metrics stay).</summary>
    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpoints.LivePath, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(HealthEndpoints.ReadyPath, StringComparison.OrdinalIgnoreCase);
}

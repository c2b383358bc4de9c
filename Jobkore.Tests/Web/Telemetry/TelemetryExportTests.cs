using System.Net;
using Jobkore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Jobkore.Tests.Web.Telemetry;

/// <summary>
/// Whether the app exports telemetry, seen from a stand-in OTLP collector on this machine's loopback (OTLP over HTTP,
/// protobuf): only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public sealed class TelemetryExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Export_OtlpEndpointSet_SendsTracesAndMetricsThere()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using (var sut = new JobkoreAppFactory())
        {
            sut.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address;
            sut.Settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            using var client = sut.CreateClient();
            (await client.GetAsync(new Uri("/account/signin", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

            // Sends what the app holds now, as its exporters would on their next tick.
            sut.Services.GetRequiredService<TracerProvider>().ForceFlush().ShouldBeTrue();
            sut.Services.GetRequiredService<MeterProvider>().ForceFlush().ShouldBeTrue();
        }

        collector.Paths.ShouldContain("/v1/traces");
        collector.Paths.ShouldContain("/v1/metrics");
    }

    [Fact]
    public async Task Export_OtlpEndpointUnset_RegistersNoExporterAndSendsNothingEvenToTheDefaultEndpoint()
    {
        // Were an exporter on, it would send to OTLP's default over HTTP, localhost:4318.
        await using var collector = await OtlpCollector.StartAsync(4318);
        await using (var sut = new JobkoreAppFactory())
        {
            sut.Settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            using var client = sut.CreateClient();
            (await client.GetAsync(new Uri("/account/signin", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

            sut.Services.GetService<TracerProvider>().ShouldBeNull();
            sut.Services.GetService<MeterProvider>().ShouldBeNull();
        }

        collector.Paths.ShouldBeEmpty();
    }
}

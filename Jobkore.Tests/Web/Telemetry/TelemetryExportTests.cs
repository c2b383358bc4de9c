using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
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
        await using var collector = await OtlpCollector.StartAsync(FreePort());
        var factory = new JobkoreAppFactory();
        factory.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address;
        factory.Settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        await using (factory)
        {
            using var client = factory.CreateClient();
            (await client.GetAsync(new Uri("/account/signin", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            Flush(factory.Services);
        }

        collector.Paths.ShouldContain("/v1/traces");
        collector.Paths.ShouldContain("/v1/metrics");
    }

    [Fact]
    public async Task Export_OtlpEndpointUnset_SendsNothingEvenToTheDefaultEndpoint()
    {
        // Were an exporter on, it would send to OTLP's default over HTTP, localhost:4318.
        await using var collector = await OtlpCollector.StartAsync(4318);
        var factory = new JobkoreAppFactory();
        factory.Settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        await using (factory)
        {
            using var client = factory.CreateClient();
            (await client.GetAsync(new Uri("/account/signin", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            Flush(factory.Services);
        }

        collector.Paths.ShouldBeEmpty();
    }

    /// <summary>Sends what the app holds now, as its exporters would on their next tick.</summary>
    private static void Flush(IServiceProvider services)
    {
        services.GetRequiredService<TracerProvider>().ForceFlush().ShouldBeTrue();
        services.GetRequiredService<MeterProvider>().ForceFlush().ShouldBeTrue();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Answers 200 to every POST on 127.0.0.1 and remembers its path.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<string> _paths = new();

        private OtlpCollector(WebApplication app, string address)
        {
            _app = app;
            Address = address;
        }

        public string Address { get; }

        public IReadOnlyCollection<string> Paths => [.. _paths];

        public static async Task<OtlpCollector> StartAsync(int port)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            var app = builder.Build();
            var collector = new OtlpCollector(app, $"http://127.0.0.1:{port}");
            app.MapPost("/{**path}", (HttpContext context) =>
            {
                collector._paths.Enqueue(context.Request.Path);
                return Results.Ok();
            });
            await app.StartAsync();
            return collector;
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}

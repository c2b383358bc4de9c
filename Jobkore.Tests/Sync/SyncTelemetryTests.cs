using System.Diagnostics;
using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.Sync;
using Jobkore.Core.Telemetry;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Tags = Jobkore.Core.Telemetry.SyncTelemetry.Tags;

namespace Jobkore.Tests.Sync;

/// <summary>
/// The sync's metrics and spans, read from a real Sync Now of the demo business against the built-in sandbox over
/// HTTP: through a listener on this app's own meters (exact counts), and through the app's OpenTelemetry pipeline,
/// switched on by an OTLP endpoint, with the in-memory exporter beside the OTLP one (what the collector receives).
/// </summary>
public sealed class SyncTelemetryTests : IAsyncLifetime
{
    private readonly List<MetricSnapshot> _exportedMetrics = [];
    private readonly List<Activity> _exportedSpans = [];
    private OtlpCollector _collector = default!;
    private QuickBooksApp _app = default!;
    private RecordedTelemetry _recorded = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // An OTLP endpoint switches the app's OpenTelemetry on; the in-memory exporters see what it would send there.
        _collector = await OtlpCollector.StartAsync();
        var settings = new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Address, ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" };
        _app = new QuickBooksApp(settings: settings, testServices: services => services
            .ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_exportedMetrics))
            .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_exportedSpans)));
        await _app.ConnectAcmeAsync();

        // From here on: only the run.
        _recorded = new RecordedTelemetry(_app.Services);
    }

    public async ValueTask DisposeAsync()
    {
        _recorded.Dispose();
        await _app.DisposeAsync();
        await _collector.DisposeAsync();
    }

    private async Task<SyncSummary> SyncNowAsync()
    {
        var result = await _app.Services.GetRequiredService<SyncRuns>().RequestAsync(_app.BusinessId, null, SyncTrigger.SyncNow);
        result.Outcome.ShouldBe(SyncRunOutcome.Completed, result.Message);
        return result.Summary;
    }

    [Fact]
    public async Task SyncNow_DemoBusiness_MetricsCountWhatTheRunDid()
    {
        var summary = await SyncNowAsync();
        summary.Synced.ShouldBeGreaterThan(40);

        _recorded.Sum(SyncTelemetry.RunsName).ShouldBe(1);
        _recorded.Sum(SyncTelemetry.RunsName, (Tags.Trigger, "SyncNow"), (Tags.Outcome, "Completed")).ShouldBe(1);

        _recorded.Sum(SyncTelemetry.DocumentsSentName).ShouldBe(summary.Synced);
        _recorded.Sum(SyncTelemetry.DocumentsFailedName).ShouldBe(summary.Failed);
        foreach (var type in new[] { "Client", "CatalogItem", "Invoice", "Payment" })
        {
            _recorded.Sum(SyncTelemetry.DocumentsSentName, (Tags.RecordType, type)).ShouldBeGreaterThan(0, type);
        }

        var requests = _recorded.Sum(SyncTelemetry.RequestsName);
        requests.ShouldBe(summary.QboRequests);
        _recorded.Sum(SyncTelemetry.RequestsName, (Tags.RequestKind, QboTelemetryHandler.Query)).ShouldBeGreaterThan(0, "look-ups by name are queries");
        _recorded.Sum(SyncTelemetry.RequestsName, (Tags.RequestKind, QboTelemetryHandler.Cdc)).ShouldBe(1, "one look at what changed in QuickBooks, before sending");
        _recorded.Sum(SyncTelemetry.RequestsName, (Tags.RequestKind, QboTelemetryHandler.Batch)).ShouldBeGreaterThan(0);
        (QboTelemetryHandler.Reads.Sum(kind => _recorded.Sum(SyncTelemetry.RequestsName, (Tags.RequestKind, kind)))
            + _recorded.Sum(SyncTelemetry.RequestsName, (Tags.RequestKind, QboTelemetryHandler.Write))
            + _recorded.Sum(SyncTelemetry.RequestsName, (Tags.RequestKind, QboTelemetryHandler.Batch))).ShouldBe(requests);
        _recorded.Sum(SyncTelemetry.RequestsName, (Tags.Throttled, true)).ShouldBe(0);
        _recorded.Sum(SyncTelemetry.ThrottledName).ShouldBe(0);
        _recorded.Count(SyncTelemetry.RequestDurationName).ShouldBe((int)requests);
        _recorded.Count(SyncTelemetry.RequestDurationName, (Tags.HttpStatus, 200)).ShouldBe((int)requests);
    }

    [Fact]
    public async Task SyncNow_DemoBusiness_OneSpanForTheRunWithItsCounts_AndOneChildSpanPerQuickBooksRequest()
    {
        var summary = await SyncNowAsync();

        var run = _recorded.Spans.Where(s => s.OperationName == SyncTelemetry.RunActivityName).ShouldHaveSingleItem();
        run.GetTagItem(Tags.BusinessId).ShouldBe(_app.BusinessId);
        run.GetTagItem(Tags.RealmId).ShouldBe(QuickBooksApp.AcmeRealm);
        run.GetTagItem(Tags.DocumentsSent).ShouldBe(summary.Synced);
        run.GetTagItem(Tags.DocumentsFailed).ShouldBe(summary.Failed);
        run.GetTagItem(Tags.Requests).ShouldBe(summary.QboRequests);
        run.Status.ShouldBe(ActivityStatusCode.Unset);

        var requests = _recorded.Spans.Where(s => s.Kind == ActivityKind.Client).ToList();
        requests.Count.ShouldBe(summary.QboRequests);
        requests.ShouldAllBe(s => s.ParentSpanId == run.SpanId && s.TraceId == run.TraceId);
        requests.ShouldAllBe(s => (string?)s.GetTagItem(Tags.HttpMethod) == "GET" || (string?)s.GetTagItem(Tags.HttpMethod) == "POST");
        requests.ShouldAllBe(s => (int?)s.GetTagItem(Tags.HttpStatus) == 200);
        requests.ShouldAllBe(s => ((string?)s.GetTagItem(Tags.IntuitTid) ?? string.Empty).StartsWith("sbx-", StringComparison.Ordinal));
        requests.Select(s => (string?)s.GetTagItem(Tags.RequestKind)).Distinct().ShouldBeSubsetOf([.. QboTelemetryHandler.Reads, QboTelemetryHandler.Write, QboTelemetryHandler.Batch]);
    }

    [Fact]
    public async Task SyncNow_DemoBusiness_NoExportedSpanOrMetricCarriesAClientNameOrAToken()
    {
        await SyncNowAsync();
        var secrets = await NamesAndTokensAsync();
        secrets.Count.ShouldBeGreaterThan(25);

        // Export now, and wait until it is done: what the exporters hold then is everything the run recorded.
        _app.Services.GetRequiredService<MeterProvider>().ForceFlush().ShouldBeTrue();
        _app.Services.GetRequiredService<TracerProvider>().ForceFlush().ShouldBeTrue();

        _exportedMetrics.Select(m => m.Name).ShouldContain(SyncTelemetry.RunsName);
        _exportedMetrics.Select(m => m.Name).ShouldContain(SyncTelemetry.DocumentsSentName);
        _exportedMetrics.Select(m => m.Name).ShouldContain(SyncTelemetry.RequestsName);
        _exportedMetrics.Select(m => m.Name).ShouldContain(SyncTelemetry.RequestDurationName);
        _exportedSpans.ShouldContain(s => s.OperationName == SyncTelemetry.RunActivityName);
        // HttpClient's spans, the QuickBooks requests' children, are exported too.
        _exportedSpans.ShouldContain(s => s.Source.Name == "System.Net.Http");

        // The exporters may still add (the metrics' periodic export, a server span ending): read copies.
        var values = Snapshot(_exportedSpans).SelectMany(s => s.TagObjects.Select(t => $"{s.OperationName} {t.Key}={t.Value}").Append($"span {s.DisplayName}"))
            .Concat(Snapshot(_exportedMetrics).SelectMany(m => m.MetricPoints.SelectMany(p => TagsOf(p).Select(t => $"{m.Name} {t.Key}={t.Value}"))))
            .Concat(_recorded.Measurements.SelectMany(m => m.Tags.Select(t => $"{m.Instrument} {t.Key}={t.Value}")))
            .ToList();
        values.Count.ShouldBeGreaterThan(100);
        foreach (var secret in secrets)
        {
            values.ShouldNotContain(v => v.Contains(secret, StringComparison.OrdinalIgnoreCase), $"a tag carries '{secret}'");
        }
    }

    private static IEnumerable<KeyValuePair<string, object?>> TagsOf(MetricPoint point)
    {
        foreach (var tag in point.Tags)
        {
            yield return tag;
        }
    }

    /// <summary>What no telemetry may carry: every client's name and company, and the tokens and secret of the connection.</summary>
    private async Task<List<string>> NamesAndTokensAsync()
    {
        await using var scope = _app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var clients = await db.Clients.AsNoTracking().ToListAsync(Ct);
        var connection = await db.QuickBooksConnections.AsNoTracking().SingleAsync(Ct);
        var protector = scope.ServiceProvider.GetRequiredService<QboTokenProtector>();
        return
        [
            .. clients.Select(c => c.DisplayName),
            .. clients.Select(c => c.CompanyName).OfType<string>(),
            protector.Unprotect(connection.ProtectedAccessToken),
            protector.Unprotect(connection.ProtectedRefreshToken),
            "jobkore-demo-secret",
        ];
    }

    /// <summary>A copy of a list an exporter may be adding to meanwhile.</summary>
    private static T[] Snapshot<T>(List<T> exported)
    {
        while (true)
        {
            try
            {
                return exported.ToArray();
            }
            catch (ArgumentException)
            {
                // It grew while being copied: copy again.
            }
        }
    }
}

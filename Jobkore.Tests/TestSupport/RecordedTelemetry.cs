using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Jobkore.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.TestSupport;

/// <summary>
/// Every measurement of one app's meters and every span of its sync activity source, from now on. Meters and
/// activity sources are process-wide, and other tests run apps alongside: listening only to this app's
/// <see cref="IMeterFactory"/> and <see cref="SyncTelemetry.ActivitySource"/> keeps theirs out.
/// </summary>
internal sealed class RecordedTelemetry : IDisposable
{
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _spans;
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public RecordedTelemetry(IServiceProvider services)
    {
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        var source = services.GetRequiredService<SyncTelemetry>().ActivitySource;
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _meters.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _meters.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _meters.Start();
        _spans = new ActivityListener
        {
            ShouldListenTo = s => ReferenceEquals(s, source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_spans);
    }

    /// <summary>Every measurement of the app's meters: the sync's, ASP.NET Core's, HttpClient's.</summary>
    public IReadOnlyList<RecordedMeasurement> Measurements => [.. _measurements];

    /// <summary>The sync's spans that have ended.</summary>
    public IReadOnlyList<Activity> Spans => [.. _stopped];

    /// <summary>The sum of an instrument's measurements whose tags include every one of <paramref name="tags"/>.</summary>
    public double Sum(string instrument, params (string Key, object Value)[] tags) =>
        Of(instrument, tags).Sum(m => m.Value);

    /// <summary>How many measurements an instrument took (for a histogram: how many values it recorded).</summary>
    public int Count(string instrument, params (string Key, object Value)[] tags) => Of(instrument, tags).Count();

    public void Dispose()
    {
        _meters.Dispose();
        _spans.Dispose();
    }

    private IEnumerable<RecordedMeasurement> Of(string instrument, (string Key, object Value)[] tags) =>
        Measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)));

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct, IConvertible =>
        _measurements.Enqueue(new RecordedMeasurement(instrument.Meter.Name, instrument.Name, value.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
            tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
}

internal sealed record RecordedMeasurement(string Meter, string Instrument, double Value, Dictionary<string, object?> Tags);

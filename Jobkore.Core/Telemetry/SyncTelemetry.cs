using System.Diagnostics;
using System.Diagnostics.Metrics;
using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Engine;
using Jobkore.Core.SyncState;

namespace Jobkore.Core.Telemetry;

/// <summary>
/// The sync's meter and activity source, and the one place their names, units and tags are defined (README
/// "Operations" lists them). Tags carry ids, kinds, counts and status codes only: never a body, a token, a query
/// string, a name or an amount. The meter comes from <see cref="IMeterFactory"/>, so each host has its own.
/// </summary>
public sealed class SyncTelemetry : IDisposable
{
    public const string MeterName = "Jobkore.Sync";
    public const string ActivitySourceName = "Jobkore.Sync";

    public const string RunsName = "jobkore.sync.runs";
    public const string DocumentsSentName = "jobkore.sync.documents.sent";
    public const string DocumentsFailedName = "jobkore.sync.documents.failed";
    public const string RequestsName = "jobkore.quickbooks.requests";
    public const string ThrottledName = "jobkore.quickbooks.throttled";
    public const string RequestDurationName = "jobkore.quickbooks.request.duration";

    public const string RunActivityName = "jobkore.sync.run";

    /// <summary>Upper bounds of the duration buckets, in seconds: those of OpenTelemetry's <c>http.client.request.duration</c>.</summary>
    private static readonly double[] s_durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Counter<long> _runs;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _throttled;
    private readonly Histogram<double> _duration;

    public SyncTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _runs = meter.CreateCounter<long>(RunsName, "{run}", "Sync runs performed, by trigger and outcome.");
        _sent = meter.CreateCounter<long>(DocumentsSentName, "{document}", "Records QuickBooks now holds as Jobkore has them (sent or linked), by record type.");
        _failed = meter.CreateCounter<long>(DocumentsFailedName, "{document}", "Records a run could not send, by record type.");
        _requests = meter.CreateCounter<long>(RequestsName, "{request}", "HTTP requests sent to the QuickBooks API, retries included, by kind and whether answered 429.");
        _throttled = meter.CreateCounter<long>(ThrottledName, "{response}", "429 Too Many Requests answers received from the QuickBooks API, by kind.");
        _duration = meter.CreateHistogram(RequestDurationName, "s", "Time from sending a QuickBooks API request to its answer's headers, without the wait for a slot of the company's limits.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_durationBuckets });
    }

    /// <summary>Spans: one per sync run, one per QuickBooks API request (a child of its run).</summary>
    public ActivitySource ActivitySource { get; } = new(ActivitySourceName);

    public void Dispose() => ActivitySource.Dispose();

    /// <summary>A requested run has ended, however it ended.</summary>
    public void RunPerformed(SyncTrigger trigger, SyncRunOutcome outcome) =>
        _runs.Add(1, new KeyValuePair<string, object?>(Tags.Trigger, trigger.ToString()), new KeyValuePair<string, object?>(Tags.Outcome, outcome.ToString()));

    /// <summary>Starts the span of a run of <paramref name="businessId"/> against QuickBooks company <paramref name="realmId"/>; null when nobody listens.</summary>
    internal Activity? StartRun(int businessId, string realmId)
    {
        var activity = ActivitySource.StartActivity(RunActivityName, ActivityKind.Internal);
        activity?.SetTag(Tags.BusinessId, businessId);
        activity?.SetTag(Tags.RealmId, realmId);
        return activity;
    }

    /// <summary>
    /// Counts what a run did, even when it stopped early (what QuickBooks accepted before stays accepted), and puts
    /// the counts on its span.
    /// </summary>
    internal void RunEnded(Activity? activity, SyncCounts counts, int requests)
    {
        foreach (var type in Enum.GetValues<SyncEntityType>())
        {
            var recordType = new KeyValuePair<string, object?>(Tags.RecordType, type.ToString());
            if (counts.SentOf(type) is > 0 and var sent)
            {
                _sent.Add(sent, recordType);
            }

            if (counts.FailedOf(type) is > 0 and var failed)
            {
                _failed.Add(failed, recordType);
            }
        }

        activity?.SetTag(Tags.DocumentsSent, counts.Sent);
        activity?.SetTag(Tags.DocumentsFailed, counts.Failed);
        activity?.SetTag(Tags.Requests, requests);
        activity?.SetTag(Tags.TransientFailures, counts.TransientFailures);
    }

    /// <summary>Marks a span as ended by an exception: its type only, since a message may carry a name.</summary>
    internal static void Failed(Activity? activity, Exception exception)
    {
        activity?.SetTag(Tags.ErrorType, exception.GetType().FullName);
        activity?.SetStatus(ActivityStatusCode.Error);
    }

    /// <summary>Starts the span of one QuickBooks API request; null when nobody listens.</summary>
    internal Activity? StartRequest(string method, string kind)
    {
        var activity = ActivitySource.StartActivity($"QuickBooks {kind}", ActivityKind.Client);
        activity?.SetTag(Tags.HttpMethod, method);
        activity?.SetTag(Tags.RequestKind, kind);
        return activity;
    }

    /// <summary>QuickBooks answered a request: its metrics, and its status and <c>intuit_tid</c> on its span.</summary>
    internal void RequestAnswered(Activity? activity, string kind, int status, string? intuitTid, TimeSpan duration)
    {
        var throttled = status == 429;
        var kindTag = new KeyValuePair<string, object?>(Tags.RequestKind, kind);
        _requests.Add(1, kindTag, new KeyValuePair<string, object?>(Tags.Throttled, throttled));
        if (throttled)
        {
            _throttled.Add(1, kindTag);
        }

        _duration.Record(duration.TotalSeconds, kindTag, new KeyValuePair<string, object?>(Tags.HttpStatus, status));
        activity?.SetTag(Tags.HttpStatus, status);
        activity?.SetTag(Tags.IntuitTid, intuitTid);
        if (status >= 400)
        {
            activity?.SetTag(Tags.ErrorType, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity?.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>A request got no answer (a dropped connection, a timeout): counted, with no status.</summary>
    internal void RequestUnanswered(Activity? activity, string kind, Exception exception, TimeSpan duration)
    {
        var kindTag = new KeyValuePair<string, object?>(Tags.RequestKind, kind);
        _requests.Add(1, kindTag, new KeyValuePair<string, object?>(Tags.Throttled, false));
        _duration.Record(duration.TotalSeconds, kindTag, new KeyValuePair<string, object?>(Tags.ErrorType, exception.GetType().FullName));
        Failed(activity, exception);
    }

    /// <summary>The tag (attribute) names; standard OpenTelemetry names where one exists.</summary>
    public static class Tags
    {
        public const string Trigger = "jobkore.sync.trigger";
        public const string Outcome = "jobkore.sync.outcome";
        public const string RecordType = "jobkore.sync.record_type";
        public const string BusinessId = "jobkore.business.id";
        public const string RealmId = "jobkore.quickbooks.realm_id";
        public const string DocumentsSent = "jobkore.sync.documents.sent";
        public const string DocumentsFailed = "jobkore.sync.documents.failed";
        public const string Requests = "jobkore.sync.requests";
        public const string TransientFailures = "jobkore.sync.transient_failures";
        public const string RequestKind = "jobkore.quickbooks.request.kind";
        public const string Throttled = "jobkore.quickbooks.throttled";
        public const string IntuitTid = "jobkore.quickbooks.intuit_tid";
        public const string HttpMethod = "http.request.method";
        public const string HttpStatus = "http.response.status_code";
        public const string ErrorType = "error.type";
    }
}

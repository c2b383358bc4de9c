using Jobkore.Core.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.Sync.Backplane;

/// <summary>
/// The notifier's backplane when app instances share a PostgreSQL database (docs/design.md §3): what is published here
/// is encoded (<see cref="SyncEventCodec"/>), queued (<see cref="SyncEventOutbox"/>) and sent in order by one
/// <see cref="PostgresSyncSender"/> as <c>NOTIFY</c>s on <see cref="Channel"/>; one <see cref="PostgresSyncListener"/>
/// hears the other instances' and hands them to the subscribers here. Each instance has its own id, so it skips its own.
/// </summary>
internal sealed partial class PostgresSyncBackplane : BackgroundService, ISyncBackplane
{
    public const string Channel = "jobkore_sync_events";

    /// <summary>Events kept while the database cannot be reached; past it the oldest go, and their businesses reload.</summary>
    public const int OutboxCapacity = 10_000;

    private readonly SyncEventOutbox _outbox;
    private readonly PostgresSyncSender _sender;
    private readonly PostgresSyncListener _listener;
    private readonly ILogger _logger;

    public PostgresSyncBackplane(JobkoreDatabase database, TimeProvider time, ILogger<PostgresSyncBackplane> logger)
        : this(database.ConnectionString, OutboxCapacity, time, logger)
    {
    }

    internal PostgresSyncBackplane(string connectionString, int outboxCapacity, TimeProvider time, ILogger<PostgresSyncBackplane> logger)
    {
        _logger = logger;
        _outbox = new SyncEventOutbox(outboxCapacity);
        _sender = new PostgresSyncSender(connectionString, InstanceId, _outbox, time, logger);
        _listener = new PostgresSyncListener(connectionString, InstanceId, time, logger);
    }

    /// <summary>This instance, in its payloads and its connections' application names.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <inheritdoc cref="PostgresSyncListener.Listening"/>
    public Task Listening => _listener.Listening;

    /// <inheritdoc cref="SyncEventOutbox.Dropped"/>
    public long Dropped => _outbox.Dropped;

    public void Attach(SyncNotifier local) => _listener.Attach(local);

    public void Send(SyncEvent syncEvent)
    {
        try
        {
            var bodies = SyncEventCodec.Encode(syncEvent);
            if (bodies.AsReload)
            {
                LogSentAsReload(_logger, syncEvent.GetType().Name, syncEvent.BusinessId);
            }

            _outbox.Add(bodies);
        }
        catch (Exception ex)
        {
            // Never the publisher's problem: the other instances reload the business instead.
            LogEncodeFailed(_logger, syncEvent.GetType().Name, syncEvent.BusinessId, ex);
            _outbox.Owe(syncEvent.BusinessId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await Task.WhenAll(_sender.RunAsync(stoppingToken), _listener.RunAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Event} of business {BusinessId} is too large for PostgreSQL's NOTIFY; the other app instances reload the business instead")]
    private static partial void LogSentAsReload(ILogger logger, string @event, int businessId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not encode {Event} of business {BusinessId} for the other app instances; they reload the business instead")]
    private static partial void LogEncodeFailed(ILogger logger, string @event, int businessId, Exception exception);
}

using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobkore.Core.Sync.Backplane;

/// <summary>
/// Hears the other instances' events on a connection of its own (<c>LISTEN</c>, waiting with keepalives so a dead
/// connection is noticed) and hands them to this instance's subscribers of their business, through the notifier's
/// per-subscriber queues. A lost connection is opened again with backoff (0.5 s doubling up to 5 s); once it listens
/// again every business with subscribers here gets a <see cref="SyncEventsMissed"/>, since what was published meanwhile
/// was not heard.
/// </summary>
internal sealed partial class PostgresSyncListener(string connectionString, string instanceId, TimeProvider time, ILogger logger)
{
    /// <summary>Seconds of quiet after which the connection is pinged, so a broken one fails the wait instead of hanging it.</summary>
    public const int KeepaliveSeconds = 10;

    private readonly SyncEventInbox _inbox = new(instanceId);
    private SyncNotifier? _local;
    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the listener listens (again, after a lost connection); what is published later is heard.</summary>
    public Task Listening => Volatile.Read(ref _listening).Task;

    /// <summary>Where the events go; events heard before the notifier exists have no subscriber to go to.</summary>
    public void Attach(SyncNotifier local)
    {
        if (Interlocked.CompareExchange(ref _local, local, null) is not null)
        {
            throw new InvalidOperationException("The backplane already delivers to a notifier.");
        }
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString)
                {
                    ApplicationName = $"jobkore-sync-listener {instanceId}",
                    KeepAlive = KeepaliveSeconds,
                    Pooling = false,
                };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += OnNotification;
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresSyncBackplane.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                ReloadEverySubscribedBusiness(failures);
                failures = 0;
                Volatile.Read(ref _listening).TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (Volatile.Read(ref _listening).Task.IsCompleted)
                {
                    Volatile.Write(ref _listening, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }

                _inbox.Reset();
                failures++;
                var delay = PostgresSyncSender.Backoff(failures);
                LogListenFailed(logger, delay, ex);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>What was published while this instance did not listen was not heard: every page here reloads.</summary>
    private void ReloadEverySubscribedBusiness(int failures)
    {
        if (_local is not { } local)
        {
            return;
        }

        var businesses = local.SubscribedBusinesses;
        if (failures > 0)
        {
            LogListeningAgain(logger, businesses.Count);
        }

        foreach (var businessId in businesses)
        {
            local.Deliver(new SyncEventsMissed(businessId));
        }
    }

    /// <summary>Raised inside the loop's wait, one notification at a time.</summary>
    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel != PostgresSyncBackplane.Channel)
        {
            return;
        }

        if (!SyncEventCodec.TryDecode(e.Payload, out var message))
        {
            LogUnreadable(logger, e.PID, e.Payload.Length);
            return;
        }

        if (_local is not { } local)
        {
            return;
        }

        try
        {
            foreach (var syncEvent in _inbox.Receive(message!))
            {
                local.Deliver(syncEvent);
            }
        }
        catch (Exception ex)
        {
            // Thrown here it would break Npgsql's wait mid-read; the business reloads instead.
            LogDeliveryFailed(logger, message!.BusinessId, ex);
            local.Deliver(new SyncEventsMissed(message.BusinessId));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that hears the other app instances' sync events; listening again in {Delay}")]
    private static partial void LogListenFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hearing the other app instances' sync events again; the pages of {Count} businesses reload what they show")]
    private static partial void LogListeningAgain(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not deliver a sync event of business {BusinessId} from another app instance; its pages reload instead")]
    private static partial void LogDeliveryFailed(ILogger logger, int businessId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an unreadable sync event of {Length} characters from PostgreSQL backend {Pid}")]
    private static partial void LogUnreadable(ILogger logger, int pid, int length);
}

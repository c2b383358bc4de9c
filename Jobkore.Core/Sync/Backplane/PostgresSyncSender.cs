using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobkore.Core.Sync.Backplane;

/// <summary>
/// Sends what waits in the outbox, in order, on a connection of its own: a batch of <c>pg_notify</c> calls in one round
/// trip (one transaction), each payload stamped with this instance and its next sequence number. A lost connection is
/// opened again with backoff (0.5 s doubling up to 5 s) and the batch sent again with the same numbers, so a batch whose
/// commit went unconfirmed still reaches each listener once (they skip numbers they have seen). A batch the server
/// refuses is not sent again: its businesses are owed a reload instead. Stopping sends what waits, for a short while.
/// </summary>
internal sealed partial class PostgresSyncSender(string connectionString, string instanceId, SyncEventOutbox outbox, TimeProvider time, ILogger logger)
{
    /// <summary>How many NOTIFYs go in one round trip at most (an event's parts always go together).</summary>
    public const int MaxBatch = 100;

    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(2);

    private long _sequence;
    private NpgsqlConnection? _connection;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        Batch? batch = null;
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (batch is null)
                    {
                        if (!await outbox.WaitAsync(stoppingToken))
                        {
                            return;
                        }

                        batch = TakeBatch();
                        continue;
                    }

                    _connection ??= await OpenAsync(stoppingToken);
                    await NotifyAsync(_connection, batch, stoppingToken);
                    batch = null;
                    failures = 0;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (PostgresException ex) when (!ex.IsTransient && _connection?.FullState == ConnectionState.Open)
                {
                    // The server answered and refused: sending it again would be refused again and hold up what follows.
                    LogBatchRefused(logger, batch!.Payloads.Count, ex.SqlState, ex);
                    foreach (var businessId in batch.BusinessIds)
                    {
                        outbox.Owe(businessId);
                    }

                    batch = null;
                }
                catch (Exception ex)
                {
                    failures++;
                    var delay = Backoff(failures);
                    LogSendFailed(logger, batch?.Payloads.Count ?? 0, delay, ex);
                    await CloseAsync();
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }

            await FlushAsync(batch);
        }
        finally
        {
            await CloseAsync();
        }
    }

    /// <summary>0.5 s after the first failure, doubling up to 5 s.</summary>
    internal static TimeSpan Backoff(int failures) => TimeSpan.FromMilliseconds(Math.Min(5000, 500 * Math.Pow(2, Math.Min(failures - 1, 10))));

    /// <summary>Stopping: what waits goes out if the database answers within <see cref="FlushTimeout"/> (best effort).</summary>
    private async Task FlushAsync(Batch? batch)
    {
        outbox.Complete();
        using var timeout = new CancellationTokenSource(FlushTimeout, time);
        var sent = 0;
        try
        {
            if (_connection?.FullState != ConnectionState.Open)
            {
                // Cancelling a send on the way may have broken it.
                await CloseAsync();
            }

            for (batch ??= TakeBatch(); batch is not null; batch = TakeBatch())
            {
                _connection ??= await OpenAsync(timeout.Token);
                await NotifyAsync(_connection, batch, timeout.Token);
                sent += batch.Payloads.Count;
            }
        }
        catch (Exception ex)
        {
            LogFlushFailed(logger, sent, ex);
        }
    }

    /// <summary>The next batch, numbered; null when nothing waits.</summary>
    private Batch? TakeBatch()
    {
        var events = outbox.TakeBatch(MaxBatch);
        return events.Count == 0 ? null : Stamp(events);
    }

    private Batch Stamp(List<SyncEventBodies> events) => new(
        [.. events.SelectMany(e => e.Bodies).Select(body => SyncEventCodec.Payload(instanceId, ++_sequence, body))],
        [.. events.Select(e => e.BusinessId).Distinct()]);

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = $"jobkore-sync-sender {instanceId}", Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task NotifyAsync(NpgsqlConnection connection, Batch batch, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlBatch(connection);
        foreach (var payload in batch.Payloads)
        {
            command.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_notify($1, $2)") { Parameters = { new() { Value = PostgresSyncBackplane.Channel }, new() { Value = payload } } });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>A batch's payloads, numbered once (sent again as they are), and the businesses they are about.</summary>
    private sealed record Batch(IReadOnlyList<string> Payloads, IReadOnlyList<int> BusinessIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send {Count} sync events to the other app instances; trying again in {Delay}")]
    private static partial void LogSendFailed(ILogger logger, int count, TimeSpan delay, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "PostgreSQL refused {Count} sync events ({SqlState}); the other app instances are told to reload those businesses instead")]
    private static partial void LogBatchRefused(ILogger logger, int count, string sqlState, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: the sync events still waiting could not all be sent to the other app instances ({Sent} sent)")]
    private static partial void LogFlushFailed(ILogger logger, int sent, Exception exception);
}

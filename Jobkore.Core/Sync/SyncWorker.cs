using System.Data.Common;
using Jobkore.Core.Businesses;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.Sync;

/// <summary>
/// Performs the runs asked of <see cref="SyncRuns"/> and the daily auto-syncs, in the order and as many at once as its
/// <see cref="SyncRunScheduler"/> lets them start (docs/design.md §9), and per business one run at a time across
/// processes through the database lease, renewed while the run goes on. No exception stops the host: a failure is
/// logged and the loop waits (backing off up to a minute) and goes on; a queued run, or a run ending, wakes it at once,
/// the check interval is the fallback. Stopping cancels what is queued and waits for the runs going on to stop.
/// </summary>
public sealed partial class SyncWorker(
    SyncRuns runs,
    IServiceScopeFactory scopes,
    IBusinessScopeFactory businessScopes,
    SyncNotifier notifier,
    SyncTelemetry telemetry,
    IOptions<SyncOptions> options,
    TimeProvider timeProvider,
    ILogger<SyncWorker> logger) : BackgroundService
{
    /// <summary>Tries again after a passing failure: 30 s, 1 min, 2, 4, 8 min, then it waits for the next Sync Now or auto-sync.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(30);
    private const int MaxTransientRetries = 5;
    private static readonly SyncRunResult s_unexpected = new(SyncRunOutcome.Failed, SyncSummary.Empty, "The sync stopped unexpectedly. Waiting documents stay waiting; try again in a minute.");
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _transientRetries = new();
    private readonly DueAutoSyncs _autoSyncs = new(runs, scopes, options, timeProvider, logger);

    /// <summary>Who holds a lease: this process.</summary>
    public string Holder { get; } = $"{Environment.MachineName[..Math.Min(40, Environment.MachineName.Length)]}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var scheduler = runs.Scheduler;
        var performing = new List<Task>();
        var nextAutoSyncCheck = DateTimeOffset.MinValue;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (timeProvider.GetUtcNow() >= nextAutoSyncCheck)
                {
                    await _autoSyncs.RequestDueAsync(stoppingToken);
                    nextAutoSyncCheck = timeProvider.GetUtcNow() + options.Value.CheckInterval;
                }

                while (scheduler.TryStart(out var run))
                {
                    performing.Add(PerformAsync(run, stoppingToken));
                }

                performing.RemoveAll(t => t.IsCompleted);
                failures = 0;
                var untilCheck = nextAutoSyncCheck - timeProvider.GetUtcNow();
                await scheduler.WaitForChangeAsync(untilCheck > TimeSpan.Zero ? untilCheck : TimeSpan.Zero, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                LogWorkerFailed(logger, ex);
                // Stopping during the pause ends the loop by its condition, so what is queued is still cancelled below.
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, failures))), timeProvider, stoppingToken)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        // Shutting down: whoever still waits for a run queued here hears it will not be performed by this process, and
        // the runs going on stop (their token is cancelled), answer, and give their lease back.
        scheduler.CancelQueued(stoppingToken);
        await Task.WhenAll(performing);
    }

    /// <summary>Performs one run the scheduler started and always answers whoever asked for it, whatever happens.</summary>
    private async Task PerformAsync(ScheduledRun run, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            var result = await PerformReportedAsync(run.Request, stoppingToken);
            run.Answer(result);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            run.Cancel(stoppingToken);
        }
        catch (Exception ex)
        {
            // Telling the pages or the counters failed; the run is answered all the same.
            LogWorkerFailed(logger, ex);
            run.Answer(s_unexpected);
        }
        finally
        {
            runs.Scheduler.Complete(run);
        }
    }

    /// <summary>Performs a run between its started and finished notifications, counts it, and schedules a retry of what failed for a passing reason.</summary>
    private async Task<SyncRunResult> PerformReportedAsync(SyncRunRequest request, CancellationToken stoppingToken)
    {
        SyncRunResult result;
        try
        {
            notifier.Publish(new SyncRunStarted(request.BusinessId, request.Trigger));
            result = await RunAsync(request, stoppingToken);
            ScheduleTransientRetry(request.BusinessId, result, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogRunFailed(logger, request.BusinessId, ex);
            result = s_unexpected;
        }

        telemetry.RunPerformed(request.Trigger, result.Outcome);
        notifier.Publish(new SyncRunFinished(request.BusinessId, result));
        return result;
    }

    /// <summary>One run under the business's lease. Waiting documents stay waiting whatever happens here.</summary>
    public async Task<SyncRunResult> RunAsync(SyncRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var scope = scopes.CreateAsyncScope();
        var business = scope.ServiceProvider.GetRequiredService<BusinessDirectory>().Find(request.BusinessId);
        if (business is null)
        {
            return new SyncRunResult(SyncRunOutcome.Failed, SyncSummary.Empty, "The business no longer exists.");
        }

        var leases = scope.ServiceProvider.GetRequiredService<SyncLeases>();
        if (!await leases.TryAcquireAsync(business.Id, Holder, cancellationToken))
        {
            return new SyncRunResult(SyncRunOutcome.AlreadyRunning, SyncSummary.Empty, "A sync is already running for this business.");
        }

        using var running = runs.Begin(business.Id, cancellationToken);
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(leases, running, heartbeatStop.Token);
        try
        {
            await using var businessScope = businessScopes.CreateScope(business);
            businessScope.ServiceProvider.GetRequiredService<SyncLeaseHolder>().Holder = Holder;
            var engine = businessScope.ServiceProvider.GetRequiredService<SyncEngine>();
            var summary = request.InvoiceIds is { } invoiceIds
                ? await engine.SyncInvoicesAsync(invoiceIds, running.Token)
                : await engine.SyncAllAsync(running.Token);
            return new SyncRunResult(SyncRunOutcome.Completed, summary);
        }
        catch (Exception ex) when (ex is SyncLeaseLostException || (ex is OperationCanceledException && running.LeaseLost && !cancellationToken.IsCancellationRequested))
        {
            LogLeaseLost(logger, business.Id);
            return new SyncRunResult(SyncRunOutcome.AlreadyRunning, SyncSummary.Empty,
                "Another Jobkore process took over this business's sync, so this run stopped. Nothing is lost: what waits is sent by that run or the next.");
        }
        catch (OperationCanceledException) when (running.Stopped && !cancellationToken.IsCancellationRequested)
        {
            return new SyncRunResult(SyncRunOutcome.NotConnected, SyncSummary.Empty, "QuickBooks was disconnected, so the sync stopped.");
        }
        catch (QuickBooksException ex) when (ex.Error.Kind is QuickBooksErrorKind.Unauthorized or QuickBooksErrorKind.Forbidden)
        {
            return new SyncRunResult(SyncRunOutcome.NotConnected, SyncSummary.Empty, ex.Error.Message);
        }
        catch (Exception ex) when ((ex is QuickBooksException { Error.IsRetryable: true } or HttpRequestException) && !cancellationToken.IsCancellationRequested)
        {
            // A look-up could not be answered, so nothing unchecked was created; try again shortly.
            LogRunInterrupted(logger, business.Id, ex.GetType().Name);
            return new SyncRunResult(SyncRunOutcome.Failed, SyncSummary.Empty with { TransientFailures = 1 },
                "QuickBooks could not be reached or is busy. Nothing was lost; Jobkore tries again shortly.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRunFailed(logger, business.Id, ex);
            return s_unexpected;
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
            try
            {
                await leases.ReleaseAsync(business.Id, Holder, CancellationToken.None);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                // It expires by itself within SyncLeases.Duration.
                LogReleaseFailed(logger, business.Id, ex);
            }
        }
    }

    private void ScheduleTransientRetry(int businessId, SyncRunResult result, CancellationToken stoppingToken)
    {
        if (result.Summary.TransientFailures == 0)
        {
            _transientRetries.TryRemove(businessId, out _);
            return;
        }

        var attempt = _transientRetries.AddOrUpdate(businessId, 1, (_, n) => n + 1);
        if (attempt > MaxTransientRetries)
        {
            return;
        }

        var delay = FirstRetryDelay * Math.Pow(2, attempt - 1);
        LogTransientRetry(logger, businessId, result.Summary.TransientFailures, delay);
        _ = RetryLaterAsync(businessId, delay, stoppingToken);
    }

    private async Task RetryLaterAsync(int businessId, TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, stoppingToken);
            await runs.RequestAsync(businessId, null, SyncTrigger.TransientRetry);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the records stay waiting for the next run.
        }
    }

    /// <summary>
    /// Renews the lease while the run goes on. When it is lost — taken by another process, or not renewed for a whole
    /// lease (the database unreachable), so it may have been — the run is stopped. Never throws.
    /// </summary>
    private async Task HeartbeatAsync(SyncLeases leases, RunningSync running, CancellationToken cancellationToken)
    {
        var renewed = timeProvider.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(SyncLeases.Duration / 3, timeProvider, cancellationToken);
                if (!await leases.RenewAsync(running.BusinessId, Holder, cancellationToken))
                {
                    running.LoseLease();
                    return;
                }

                renewed = timeProvider.GetUtcNow();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogHeartbeatFailed(logger, running.BusinessId, ex);
                if (timeProvider.GetUtcNow() - renewed >= SyncLeases.Duration)
                {
                    running.LoseLease();
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The sync worker failed; it carries on after a pause")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sync run for business {BusinessId} was interrupted by QuickBooks ({Error}); it will be tried again")]
    private static partial void LogRunInterrupted(ILogger logger, int businessId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The sync run for business {BusinessId} failed")]
    private static partial void LogRunFailed(ILogger logger, int businessId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} records of business {BusinessId} failed for a passing reason; trying again in {Delay}")]
    private static partial void LogTransientRetry(ILogger logger, int businessId, int count, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sync lease of business {BusinessId} was taken by another process; this run stopped")]
    private static partial void LogLeaseLost(ILogger logger, int businessId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the sync lease of business {BusinessId}; trying again")]
    private static partial void LogHeartbeatFailed(ILogger logger, int businessId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not give back the sync lease of business {BusinessId}; it expires by itself")]
    private static partial void LogReleaseFailed(ILogger logger, int businessId, Exception exception);
}

using Jobkore.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.Sync;

/// <summary>
/// Performs the runs asked of <see cref="SyncRuns"/>, the daily auto-syncs, and the requested runs no worker is
/// performing (asked of another instance, left by one that stopped or died, retries whose time has come), in the order
/// and as many at once as its <see cref="SyncRunScheduler"/> lets them start (docs/design.md §9), and per business one
/// run at a time across processes through the database lease (<see cref="SyncRunPerformer"/>). No exception stops the
/// host: a failure is logged and the loop waits (backing off up to a minute) and goes on; a queued run, or a run
/// ending, wakes it at once, the check and claim intervals are the fallback. Stopping cancels what is queued and waits
/// for the runs going on to stop; their rows stay for another instance, or this one once it starts again.
/// </summary>
public sealed partial class SyncWorker : BackgroundService
{
    /// <summary>Tries again after a passing failure: 30 s, 1 min, 2, 4, 8 min, then it waits for the next Sync Now or auto-sync.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(30);
    private static readonly SyncRunResult s_unexpected = new(SyncRunOutcome.Failed, SyncSummary.Empty, "The sync stopped unexpectedly. Waiting documents stay waiting; try again in a minute.");
    private readonly SyncRuns _runs;
    private readonly IOptions<SyncOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SyncWorker> _logger;
    private readonly DueAutoSyncs _autoSyncs;
    private readonly Changes.DueChangeChecks _changeChecks;
    private readonly SyncRequestPolling _requests;
    private readonly SyncRunPerformer _performer;
    private readonly IHostApplicationLifetime? _lifetime;

    // lifetime: the host, whose start the worker waits for; none when the worker is used without one.
    public SyncWorker(SyncRuns runs, IServiceScopeFactory scopes, IBusinessScopeFactory businessScopes, SyncNotifier notifier, SyncTelemetry telemetry,
        IOptions<SyncOptions> options, TimeProvider timeProvider, ILogger<SyncWorker> logger, IHostApplicationLifetime? lifetime = null)
    {
        _runs = runs;
        _lifetime = lifetime;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _autoSyncs = new DueAutoSyncs(runs, scopes, options, timeProvider, logger);
        _changeChecks = new Changes.DueChangeChecks(runs, scopes, timeProvider);
        _requests = new SyncRequestPolling(runs, scopes, logger);
        _performer = new SyncRunPerformer(Holder, runs, scopes, businessScopes, notifier, telemetry, timeProvider, logger);
    }

    /// <summary>Who holds a lease, and claims request rows: this worker.</summary>
    public string Holder { get; } = $"{Environment.MachineName[..Math.Min(40, Environment.MachineName.Length)]}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>
    /// One run under the business's lease, driven directly (as another process's worker would): it answers the request's
    /// row, if it has one, and every unfinished row of the business asking for every waiting document. AlreadyRunning
    /// when another process holds the lease, or took it over mid-run.
    /// </summary>
    public async Task<SyncRunResult> RunAsync(SyncRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await _performer.RunAsync([request], cancellationToken)).Result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await WhenHostStartedAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var scheduler = _runs.Scheduler;
        var performing = new List<Task>();
        DateTimeOffset nextAutoSyncCheck = DateTimeOffset.MinValue, nextClaim = DateTimeOffset.MinValue, nextAnswer = DateTimeOffset.MinValue, nextCleanUp = DateTimeOffset.MinValue;
        var woken = true;
        var failures = 0;
        var started = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Each next look is counted from when this one began, so what came due while it went on is looked at at once.
                var now = _timeProvider.GetUtcNow();
                if (now >= nextAutoSyncCheck)
                {
                    await _autoSyncs.RequestDueAsync(stoppingToken);
                    await _changeChecks.RequestDueAsync(stoppingToken);
                    nextAutoSyncCheck = now + _options.Value.CheckInterval;
                }

                if (now >= nextCleanUp)
                {
                    await _requests.CleanUpAsync(stoppingToken);
                    nextCleanUp = now + SyncRequestPolling.CleanUpInterval;
                }

                // Woken, a lease may have just been given back here: what waited for it can start.
                if (woken || now >= nextClaim)
                {
                    await _requests.AdoptAsync(_options.Value.ClaimInterval, stoppingToken);
                    nextClaim = now + _options.Value.ClaimInterval;
                }

                if (now >= nextAnswer && _runs.HasUnanswered)
                {
                    await _requests.AnswerUnansweredAsync(stoppingToken);
                    nextAnswer = now + SyncRequestPolling.AnswerInterval;
                }

                while (scheduler.TryStart(out var run))
                {
                    performing.Add(PerformAsync(run, stoppingToken));
                }

                performing.RemoveAll(t => t.IsCompleted);
                failures = 0;
                if (!started)
                {
                    // Its name is what the leases and request rows it holds say.
                    LogStarted(_logger, Holder);
                    started = true;
                }

                var wakeAt = Min(nextAutoSyncCheck, nextClaim);
                wakeAt = _runs.HasUnanswered ? Min(wakeAt, nextAnswer) : wakeAt;
                var untilWake = wakeAt - _timeProvider.GetUtcNow();
                woken = await scheduler.WaitForChangeAsync(untilWake > TimeSpan.Zero ? untilWake : TimeSpan.Zero, _timeProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                LogWorkerFailed(_logger, ex);
                // Stopping during the pause ends the loop by its condition, so what is queued is still cancelled below.
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, failures))), _timeProvider, stoppingToken)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                woken = true;
            }
        }

        // Shutting down: whoever still waits for a run asked here hears it will not be performed by this process, and
        // the runs going on stop (their token is cancelled), answer, and give their lease back. Their rows stay unfinished.
        scheduler.CancelQueued(stoppingToken);
        await Task.WhenAll(performing);
        _runs.CancelAwaited(stoppingToken);
    }

    /// <summary>
    /// Performs one run the scheduler started and answers whoever asked for it: with its result when it performed their
    /// row, or with the result their row holds when another instance performed it. A row left unperformed (another
    /// instance holds the lease) keeps its requester waiting until a worker performs it.
    /// </summary>
    private async Task PerformAsync(ScheduledRun run, CancellationToken stoppingToken)
    {
        await Task.Yield();
        _runs.Performing(run);
        try
        {
            var attempt = await _performer.RunAsync(run.Requests, stoppingToken);
            var unknown = new List<SyncRunRequest>();
            foreach (var request in run.Requests)
            {
                if (request.RowId is not { } id || attempt.Finished.Contains(id))
                {
                    request.Completion.TrySetResult(attempt.Result);
                }
                else
                {
                    unknown.Add(request);
                }
            }

            await _requests.AnswerFinishedAsync(unknown, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            run.Cancel(stoppingToken);
        }
        catch (Exception ex)
        {
            // The database or the notifier failed around the run; whoever asked hears so, and an unfinished row is performed again later.
            LogWorkerFailed(_logger, ex);
            run.Answer(s_unexpected);

            // The business keeps its turn a moment, so a row left unperformed is not taken on again at once, over and over.
            await Task.Delay(_options.Value.ClaimInterval, _timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            _runs.Release(run);
            _runs.Scheduler.Complete(run);
        }
    }

    /// <summary>
    /// Waits for the host to have started before anything is performed: requests left by an earlier process are taken on
    /// at once, and the built-in QuickBooks sandbox a run may call answers on the app's own address only once it listens.
    /// </summary>
    private async Task WhenHostStartedAsync(CancellationToken stoppingToken)
    {
        if (_lifetime is null)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = _lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "The sync worker {Holder} is running; it has taken on the requests that waited")]
    private static partial void LogStarted(ILogger logger, string holder);

    [LoggerMessage(Level = LogLevel.Error, Message = "The sync worker failed; it carries on after a pause")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception);
}

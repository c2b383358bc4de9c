using System.Data.Common;
using Jobkore.Core.Businesses;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.Sync;

/// <summary>What one attempt at a run did: its result, and the request rows it wrote that result on.</summary>
internal sealed record SyncRunAttempt(SyncRunResult Result, IReadOnlySet<long> Finished);

/// <summary>
/// Performs one run for <see cref="SyncWorker"/> under the business's lease (docs/design.md §4 invariant 4, §9): takes
/// the lease, claims the request rows the run answers, sends between its started and finished notifications while a
/// heartbeat renews the lease, writes the result on the rows it claimed (with the retry of what failed for a passing
/// reason, as a row of its own), and gives the lease back. Waiting documents stay waiting whatever happens here.
/// </summary>
internal sealed partial class SyncRunPerformer(
    string holder,
    SyncRuns runs,
    IServiceScopeFactory scopes,
    IBusinessScopeFactory businessScopes,
    SyncNotifier notifier,
    SyncTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger logger)
{
    private const int MaxTransientRetries = 5;
    private static readonly SyncRunResult s_unexpected = new(SyncRunOutcome.Failed, SyncSummary.Empty, "The sync stopped unexpectedly. Waiting documents stay waiting; try again in a minute.");
    private static readonly SyncRunResult s_leaseHeld = new(SyncRunOutcome.AlreadyRunning, SyncSummary.Empty, "Another process holds this business's sync lease; nothing was sent.");
    private static readonly IReadOnlySet<long> s_none = new HashSet<long>();

    /// <summary>
    /// One attempt at the run answering <paramref name="requests"/> (the first says what to send and why). When another
    /// process holds the lease, or every row of the requests was performed meanwhile, nothing is sent and no row changes.
    /// </summary>
    public async Task<SyncRunAttempt> RunAsync(IReadOnlyList<SyncRunRequest> requests, CancellationToken cancellationToken)
    {
        var request = requests[0];
        var own = requests.Select(r => r.RowId).OfType<long>().ToList();
        await using var scope = scopes.CreateAsyncScope();
        var rows = scope.ServiceProvider.GetRequiredService<SyncRequests>();
        var business = scope.ServiceProvider.GetRequiredService<BusinessDirectory>().Find(request.BusinessId);
        if (business is null)
        {
            var gone = new SyncRunResult(SyncRunOutcome.Failed, SyncSummary.Empty, "The business no longer exists.");
            await rows.FinishAsync(request.BusinessId, own, holder: null, gone, retry: null, cancellationToken);
            return new SyncRunAttempt(gone, own.ToHashSet());
        }

        var leases = scope.ServiceProvider.GetRequiredService<SyncLeases>();
        if (!await leases.TryAcquireAsync(business.Id, holder, cancellationToken))
        {
            return new SyncRunAttempt(s_leaseHeld, s_none);
        }

        using var running = runs.Begin(business.Id, cancellationToken);
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(leases, running, heartbeatStop.Token);
        try
        {
            var claimed = await rows.ClaimAsync(business.Id, holder, own, everything: request.InvoiceIds is null, cancellationToken);
            if (own.Count > 0 && claimed.Count == 0)
            {
                // Another instance performed them meanwhile; their rows hold its result.
                return new SyncRunAttempt(s_leaseHeld, s_none);
            }

            notifier.Publish(new SyncRunStarted(business.Id, request.Trigger));
            var result = await SendAsync(business, request, running, cancellationToken);
            var finished = result.Outcome == SyncRunOutcome.AlreadyRunning ? s_none : await FinishAsync(rows, business.Id, claimed, result);
            telemetry.RunPerformed(request.Trigger, result.Outcome);
            notifier.Publish(new SyncRunFinished(business.Id, result));
            return new SyncRunAttempt(result, finished);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
            try
            {
                await leases.ReleaseAsync(business.Id, holder, CancellationToken.None);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                // It expires by itself within SyncLeases.Duration.
                LogReleaseFailed(logger, business.Id, ex);
            }
        }
    }

    /// <summary>Sends what the request asks for; every way the run can end becomes its result, except the host stopping.</summary>
    private async Task<SyncRunResult> SendAsync(BusinessProfile business, SyncRunRequest request, RunningSync running, CancellationToken cancellationToken)
    {
        try
        {
            await using var businessScope = businessScopes.CreateScope(business);
            businessScope.ServiceProvider.GetRequiredService<SyncLeaseHolder>().Holder = holder;
            var engine = businessScope.ServiceProvider.GetRequiredService<SyncEngine>();
            var summary = request.InvoiceIds switch
            {
                { Count: 0 } => await engine.CheckQuickBooksAsync(running.Token),
                { } invoiceIds => await engine.SyncInvoicesAsync(invoiceIds, running.Token),
                null => await engine.SyncAllAsync(running.Token),
            };
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
    }

    /// <summary>
    /// Writes the result on the rows the run claimed, and the retry of what failed for a passing reason as a row, while
    /// the lease is still held. Returns the rows finished; none when another worker claimed some meanwhile (they are read back).
    /// </summary>
    private async Task<IReadOnlySet<long>> FinishAsync(SyncRequests rows, int businessId, IReadOnlyList<ClaimedSyncRequest> claimed, SyncRunResult result)
    {
        try
        {
            // Recorded even when the host is stopping now: the run is over, and its rows must not be performed again.
            var ids = claimed.Select(c => c.Id).ToHashSet();
            var finished = await rows.FinishAsync(businessId, ids, holder, result, NextRetry(businessId, claimed, result), CancellationToken.None);
            return finished == ids.Count ? ids : s_none;
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException)
        {
            // The rows stay unfinished, so a worker performs them again (sending only what still waits).
            LogFinishFailed(logger, businessId, ex);
            return s_none;
        }
    }

    /// <summary>
    /// The retry of a run with records that failed for a passing reason: 30 s, 1 min, 2, 4, 8 min after each such run,
    /// counting on from the retry rows the run answered, then none until the next Sync Now or auto-sync.
    /// </summary>
    private SyncRetry? NextRetry(int businessId, IReadOnlyList<ClaimedSyncRequest> claimed, SyncRunResult result)
    {
        if (result.Summary.TransientFailures == 0)
        {
            return null;
        }

        var attempt = claimed.Select(c => c.RetryAttempt).DefaultIfEmpty(0).Max() + 1;
        if (attempt > MaxTransientRetries)
        {
            return null;
        }

        var delay = SyncWorker.FirstRetryDelay * Math.Pow(2, attempt - 1);
        LogTransientRetry(logger, businessId, result.Summary.TransientFailures, delay);
        return new SyncRetry(attempt, delay);
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
                if (!await leases.RenewAsync(running.BusinessId, holder, cancellationToken))
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the result of business {BusinessId}'s run on its sync requests; they will be performed again")]
    private static partial void LogFinishFailed(ILogger logger, int businessId, Exception exception);
}

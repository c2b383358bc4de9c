using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.Sync;

/// <summary>Why a run was asked for.</summary>
public enum SyncTrigger
{
    SyncNow,
    ResyncOne,

    /// <summary>"Sync selected" on the invoice list.</summary>
    SyncSelected,
    AutoSync,

    /// <summary>The worker trying again, with backoff, what failed for a passing reason.</summary>
    TransientRetry,

    /// <summary>A look at what changed in QuickBooks, sending nothing: a webhook, the daily look, or "Check QuickBooks now" (a run of no invoices).</summary>
    CheckQuickBooks,
}

/// <summary>How a requested run ended.</summary>
public enum SyncRunOutcome
{
    Completed,

    /// <summary>
    /// Another process holds the business's lease, or took it over mid-run, so this attempt did nothing (more). A request
    /// asked of <see cref="SyncRuns"/> is never answered so: its row waits for whoever holds the lease next. Only a run
    /// driven directly (<see cref="SyncWorker.RunAsync"/>) ends so.
    /// </summary>
    AlreadyRunning,

    /// <summary>QuickBooks is not connected or needs reconnecting; nothing was sent and nothing is lost.</summary>
    NotConnected,

    /// <summary>Something unexpected stopped the run; it is logged, and waiting documents stay waiting.</summary>
    Failed,
}

public sealed record SyncRunResult(SyncRunOutcome Outcome, SyncSummary Summary, string? Message = null);

/// <summary>
/// A request for a run of one business: all waiting documents, or only these invoices (with what they need). One asked
/// of <see cref="SyncRuns"/> carries the id of its row in the database (<see cref="SyncRequests"/>), which is what
/// is performed; a request without one is a run driven directly (tests, tools).
/// </summary>
public sealed record SyncRunRequest(int BusinessId, IReadOnlyCollection<int>? InvoiceIds, SyncTrigger Trigger)
{
    /// <summary>The request's row in <c>SyncRequests</c>, when it has one.</summary>
    internal long? RowId { get; init; }

    internal TaskCompletionSource<SyncRunResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Where people and timers ask for runs. A request is saved as a row first, so whichever app instance takes the
/// business's lease performs it (docs/design.md §9), then queued in this process's <see cref="Scheduler"/>; the
/// returned task completes with the result written on the row, by this process's run or another's. Also knows which
/// rows this process has in hand and whose result someone here waits for, and the runs going on in this process, so
/// Disconnect can stop its business's.
/// </summary>
public sealed class SyncRuns(IOptions<SyncOptions> options, IServiceScopeFactory scopes) : IDisposable
{
    private readonly ConcurrentDictionary<int, RunningSync> _running = new();
    private readonly ConcurrentDictionary<long, SyncRunRequest> _awaited = new(); // rows someone here waits for, until answered
    private readonly ConcurrentDictionary<long, bool> _inHand = new(); // rows queued here (false) or being performed here (true)

    // A row is in hand from the moment it is saved, so this process's own look for unheld rows never takes it twice.
    private readonly SemaphoreSlim _handing = new(1, 1);

    /// <summary>The requests waiting and the order they start in.</summary>
    internal SyncRunScheduler Scheduler { get; } = new(options.Value.MaxConcurrentBusinesses);

    /// <summary>Asks for a run of every waiting document, or of one invoice.</summary>
    public Task<SyncRunResult> RequestAsync(int businessId, int? invoiceId, SyncTrigger trigger) =>
        RequestInvoicesAsync(businessId, invoiceId is { } id ? [id] : null, trigger);

    /// <summary>
    /// Asks for a run of these invoices (every waiting document when null): saves the request's row, queues it here, and
    /// completes when the row holds its result. Cancelled when this process stops first; the row then stays, and is
    /// performed by another instance or after the restart.
    /// </summary>
    public async Task<SyncRunResult> RequestInvoicesAsync(int businessId, IReadOnlyCollection<int>? invoiceIds, SyncTrigger trigger)
    {
        if (Scheduler.IsClosed)
        {
            // Stopping: nobody here would perform it, and nobody would hear of it.
            return await Task.FromCanceled<SyncRunResult>(new CancellationToken(canceled: true));
        }

        SyncRunRequest? request;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var rows = scope.ServiceProvider.GetRequiredService<SyncRequests>();
            request = await HandAsync(async ct => await rows.AddAsync(businessId, invoiceIds, trigger, ct), awaited: true, CancellationToken.None);
        }

        return await request!.Completion.Task;
    }

    /// <summary>
    /// Queues a look at what changed in the business's QuickBooks company (a webhook arrived, the daily look is due),
    /// performed by whichever instance takes the lease; none when one already waits unstarted, which will see the same
    /// changes. Returns without waiting for it.
    /// </summary>
    public async Task QueueCheckAsync(int businessId, CancellationToken cancellationToken)
    {
        if (Scheduler.IsClosed)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var rows = scope.ServiceProvider.GetRequiredService<SyncRequests>();
        await HandAsync(ct => rows.AddCheckUnlessWaitingAsync(businessId, ct), awaited: false, cancellationToken);
    }

    /// <summary>
    /// Saves a request's row through <paramref name="save"/> (which returns null when it saved none) and queues it here,
    /// <paramref name="awaited"/> when someone here waits for its result.
    /// </summary>
    internal async Task<SyncRunRequest?> HandAsync(Func<CancellationToken, Task<SyncRunRequest?>> save, bool awaited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(save);
        await _handing.WaitAsync(cancellationToken);
        try
        {
            var request = await save(cancellationToken);
            if (request is not null)
            {
                Hand(request, awaited);
            }

            return request;
        }
        finally
        {
            _handing.Release();
        }
    }

    /// <summary>
    /// Queues here the unheld rows <paramref name="find"/> returns (<see cref="SyncRequests.FindUnheldAsync"/>) that this
    /// process does not have in hand; a row someone here still waits for goes with its waiting request. Returns those queued.
    /// </summary>
    internal async Task<IReadOnlyList<SyncRunRequest>> AdoptAsync(Func<CancellationToken, Task<IReadOnlyList<SyncRunRequest>>> find, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(find);
        await _handing.WaitAsync(cancellationToken);
        try
        {
            var adopted = new List<SyncRunRequest>();
            foreach (var row in await find(cancellationToken))
            {
                var id = row.RowId!.Value;
                if (!_inHand.ContainsKey(id))
                {
                    var waiting = _awaited.TryGetValue(id, out var awaited) && !awaited.Completion.Task.IsCompleted ? awaited : null;
                    Hand(waiting ?? row, awaited: waiting is not null);
                    adopted.Add(waiting ?? row);
                }
            }

            return adopted;
        }
        finally
        {
            _handing.Release();
        }
    }

    /// <summary>The requests someone here waits for whose row is not being performed here: another instance may be performing it.</summary>
    internal IReadOnlyList<SyncRunRequest> Unanswered()
    {
        var unanswered = new List<SyncRunRequest>();
        foreach (var (id, request) in _awaited)
        {
            if (request.Completion.Task.IsCompleted)
            {
                _awaited.TryRemove(new KeyValuePair<long, SyncRunRequest>(id, request));
            }
            else if (!_inHand.TryGetValue(id, out var performing) || !performing)
            {
                unanswered.Add(request);
            }
        }

        return unanswered;
    }

    /// <summary>True while someone here waits for a row that is not being performed here.</summary>
    internal bool HasUnanswered => !_awaited.IsEmpty && Unanswered().Count > 0;

    /// <summary>Says that the worker started performing <paramref name="run"/>.</summary>
    internal void Performing(ScheduledRun run) => Mark(run, performing: true);

    /// <summary>Says that <paramref name="run"/> ended: its rows are no longer in hand here (those not performed may be taken again).</summary>
    internal void Release(ScheduledRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        foreach (var request in run.Requests)
        {
            if (request.RowId is { } id)
            {
                _inHand.TryRemove(id, out _);
                if (request.Completion.Task.IsCompleted)
                {
                    _awaited.TryRemove(new KeyValuePair<long, SyncRunRequest>(id, request));
                }
            }
        }
    }

    /// <summary>Shutting down: whoever still waits here for a row hears it will not be answered by this process (the row stays for another).</summary>
    internal void CancelAwaited(CancellationToken stoppingToken)
    {
        foreach (var request in _awaited.Values)
        {
            request.Completion.TrySetCanceled(stoppingToken);
        }

        _awaited.Clear();
    }

    /// <summary>Marks a run of the business as going on in this process; disposing it says it ended.</summary>
    internal RunningSync Begin(int businessId, CancellationToken stoppingToken)
    {
        var running = new RunningSync(businessId, r => _running.TryRemove(new KeyValuePair<int, RunningSync>(r.BusinessId, r)), stoppingToken);
        _running[businessId] = running;
        return running;
    }

    /// <summary>Stops the business's run in this process, if one goes on, and waits until it has ended (its lease given back).</summary>
    internal async Task StopAsync(int businessId)
    {
        if (_running.TryGetValue(businessId, out var running))
        {
            await running.StopAsync();
        }
    }

    public void Dispose() => _handing.Dispose();

    private void Hand(SyncRunRequest request, bool awaited)
    {
        var id = request.RowId ?? throw new ArgumentException("Only a request with a row is handed to the scheduler this way.", nameof(request));
        _inHand[id] = false;
        if (awaited)
        {
            _awaited[id] = request;
        }

        Scheduler.Enqueue(request);
    }

    private void Mark(ScheduledRun run, bool performing)
    {
        ArgumentNullException.ThrowIfNull(run);
        foreach (var request in run.Requests)
        {
            if (request.RowId is { } id)
            {
                _inHand[id] = performing;
            }
        }
    }
}

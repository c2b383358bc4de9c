using System.Collections.Concurrent;
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
}

/// <summary>How a requested run ended.</summary>
public enum SyncRunOutcome
{
    Completed,

    /// <summary>Another run for the business holds the lease (here or in another process); this one did nothing.</summary>
    AlreadyRunning,

    /// <summary>QuickBooks is not connected or needs reconnecting; nothing was sent and nothing is lost.</summary>
    NotConnected,

    /// <summary>Something unexpected stopped the run; it is logged, and waiting documents stay waiting.</summary>
    Failed,
}

public sealed record SyncRunResult(SyncRunOutcome Outcome, SyncSummary Summary, string? Message = null);

/// <summary>A request for a run of one business: all waiting documents, or only these invoices (with what they need).</summary>
public sealed record SyncRunRequest(int BusinessId, IReadOnlyCollection<int>? InvoiceIds, SyncTrigger Trigger)
{
    internal TaskCompletionSource<SyncRunResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Where people and timers ask for runs, and the worker that performs them hears of it (through
/// <see cref="Scheduler"/>, which decides when each starts); the returned task completes with the run's result. Also
/// knows the runs going on in this process, so Disconnect can stop its business's.
/// </summary>
public sealed class SyncRuns(IOptions<SyncOptions> options)
{
    private readonly ConcurrentDictionary<int, RunningSync> _running = new();

    /// <summary>The requests waiting and the order they start in.</summary>
    internal SyncRunScheduler Scheduler { get; } = new(options.Value.MaxConcurrentBusinesses);

    /// <summary>Asks for a run of every waiting document, or of one invoice.</summary>
    public Task<SyncRunResult> RequestAsync(int businessId, int? invoiceId, SyncTrigger trigger) =>
        RequestInvoicesAsync(businessId, invoiceId is { } id ? [id] : null, trigger);

    /// <summary>Asks for a run of these invoices (every waiting document when null).</summary>
    public Task<SyncRunResult> RequestInvoicesAsync(int businessId, IReadOnlyCollection<int>? invoiceIds, SyncTrigger trigger)
    {
        var request = new SyncRunRequest(businessId, invoiceIds, trigger);
        Scheduler.Enqueue(request);
        return request.Completion.Task;
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
}

/// <summary>
/// A run going on in this process: its token is cancelled when the run must stop — the host stops, QuickBooks is being
/// disconnected, or its lease was lost — and <see cref="LeaseLost"/> says which.
/// </summary>
internal sealed class RunningSync : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<RunningSync> _onEnded;

    public RunningSync(int businessId, Action<RunningSync> onEnded, CancellationToken stoppingToken)
    {
        BusinessId = businessId;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _onEnded = onEnded;
    }

    public int BusinessId { get; }

    public CancellationToken Token => _stop.Token;

    /// <summary>True when the lease was taken by another process: nothing more may be sent.</summary>
    public bool LeaseLost { get; private set; }

    /// <summary>True when the run was stopped from outside (QuickBooks being disconnected).</summary>
    public bool Stopped { get; private set; }

    public void LoseLease()
    {
        LeaseLost = true;
        _stop.Cancel();
    }

    public async Task StopAsync()
    {
        Stopped = true;
        try
        {
            await _stop.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // It ended meanwhile.
        }

        await _ended.Task;
    }

    public void Dispose()
    {
        _onEnded(this);
        _ended.TrySetResult();
        _stop.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Threading.Channels;

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
/// The queue between the people and timers asking for runs and the one worker that performs them. Asking wakes the
/// worker at once (a trigger channel of one); the returned task completes with the run's result.
/// </summary>
public sealed class SyncRuns
{
    private readonly ConcurrentQueue<SyncRunRequest> _queue = new();
    private readonly Channel<bool> _trigger = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks for a run of every waiting document, or of one invoice.</summary>
    public Task<SyncRunResult> RequestAsync(int businessId, int? invoiceId, SyncTrigger trigger) =>
        RequestInvoicesAsync(businessId, invoiceId is { } id ? [id] : null, trigger);

    /// <summary>Asks for a run of these invoices (every waiting document when null).</summary>
    public Task<SyncRunResult> RequestInvoicesAsync(int businessId, IReadOnlyCollection<int>? invoiceIds, SyncTrigger trigger)
    {
        var request = new SyncRunRequest(businessId, invoiceIds, trigger);
        _queue.Enqueue(request);
        _trigger.Writer.TryWrite(true);
        return request.Completion.Task;
    }

    internal bool TryDequeue(out SyncRunRequest request) => _queue.TryDequeue(out request!);

    /// <summary>Waits until a run is asked for, or <paramref name="timeout"/> passes.</summary>
    internal async Task WaitForRequestAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            await _trigger.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: time to look for due auto-syncs.
        }
    }
}

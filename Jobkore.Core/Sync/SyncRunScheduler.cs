using System.Threading.Channels;

namespace Jobkore.Core.Sync;

/// <summary>
/// Decides which requested runs start, and when (docs/design.md §9); the worker performs them. Each business's
/// requests wait in a queue of their own and its runs happen one at a time. Businesses take turns: the line is first
/// come, first served, and a business whose oldest request has started goes to the back of it if more wait. At most
/// <see cref="Capacity"/> runs of every waiting document go on at once; runs of chosen invoices have a lane of the same
/// width beside them, so a Re-sync never waits for another business's backlog. A run of every waiting document answers
/// all of its business's requests of every waiting document queued when it starts, since it sends what they asked for.
/// Thread-safe; a change that may let a run start (a request, a run ending) wakes <see cref="WaitForChangeAsync"/>.
/// </summary>
internal sealed class SyncRunScheduler
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, List<SyncRunRequest>> _waiting = [];
    private readonly LinkedList<int> _line = new(); // every business with waiting requests, in turn (one with a run going on is passed over)
    private readonly HashSet<int> _running = [];
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _fullRuns; // runs of every waiting document going on
    private int _invoiceRuns; // runs of chosen invoices going on
    private bool _closed;

    public SyncRunScheduler(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>How many runs of every waiting document may go on at once, and how many runs of chosen invoices beside them.</summary>
    public int Capacity { get; }

    /// <summary>True once <see cref="CancelQueued"/> was called: the process is stopping.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>Queues a request; after <see cref="CancelQueued"/> it is cancelled at once, since nobody would perform it.</summary>
    public void Enqueue(SyncRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            if (!_closed)
            {
                if (!_waiting.TryGetValue(request.BusinessId, out var waiting))
                {
                    _waiting[request.BusinessId] = waiting = [];
                    _line.AddLast(request.BusinessId);
                }

                waiting.Add(request);
                _changed.Writer.TryWrite(true);
                return;
            }
        }

        request.Completion.TrySetCanceled();
    }

    /// <summary>
    /// Takes the next run that may start now: the first business in line, with no run going on, that has a request
    /// whose lane has room. That is its oldest such request, so a business's Re-sync may go before its own Sync Now that
    /// waits for room (which keeps its place in line), never beside one that runs. Call <see cref="Complete"/> when the
    /// run has ended.
    /// </summary>
    public bool TryStart(out ScheduledRun run)
    {
        lock (_lock)
        {
            if (_fullRuns < Capacity || _invoiceRuns < Capacity)
            {
                for (var turn = _line.First; turn is not null; turn = turn.Next)
                {
                    var waiting = _waiting[turn.Value];
                    if (_running.Contains(turn.Value) || TakeNext(waiting, out var tookOldest) is not { } requests)
                    {
                        continue;
                    }

                    run = new ScheduledRun(requests);
                    _running.Add(run.BusinessId);
                    Count(run, +1);
                    if (waiting.Count == 0)
                    {
                        _line.Remove(turn);
                        _waiting.Remove(run.BusinessId);
                    }
                    else if (tookOldest)
                    {
                        // Its turn is used: the others already waiting go first next time.
                        _line.Remove(turn);
                        _line.AddLast(turn);
                    }

                    return true;
                }
            }
        }

        run = null!;
        return false;
    }

    /// <summary>Says that <paramref name="run"/> has ended: its lane has room again, and its business's next request may start.</summary>
    public void Complete(ScheduledRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_lock)
        {
            if (!_running.Remove(run.BusinessId))
            {
                throw new InvalidOperationException($"No run of business {run.BusinessId} was going on.");
            }

            Count(run, -1);
            _changed.Writer.TryWrite(true);
        }
    }

    /// <summary>Shutting down: cancels every queued request, and every request asked for from now on.</summary>
    public void CancelQueued(CancellationToken stoppingToken)
    {
        List<SyncRunRequest> cancelled;
        lock (_lock)
        {
            _closed = true;
            cancelled = [.. _waiting.Values.SelectMany(w => w)];
            _waiting.Clear();
            _line.Clear();
        }

        foreach (var request in cancelled)
        {
            request.Completion.TrySetCanceled(stoppingToken);
        }
    }

    /// <summary>
    /// Waits until a run may be able to start (a request came, a run ended), or <paramref name="timeout"/> passes; true
    /// when woken by a change.
    /// </summary>
    public async Task<bool> WaitForChangeAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            await _changed.Reader.ReadAsync(linked.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: time to look for due auto-syncs and unheld requests.
            return false;
        }
    }

    private void Count(ScheduledRun run, int change)
    {
        if (run.OfInvoices)
        {
            _invoiceRuns += change;
        }
        else
        {
            _fullRuns += change;
        }
    }

    /// <summary>
    /// Removes and returns the requests of the business's next run, or null when none of its lanes has room;
    /// <paramref name="tookOldest"/> says whether the run answers its oldest request.
    /// </summary>
    private List<SyncRunRequest>? TakeNext(List<SyncRunRequest> waiting, out bool tookOldest)
    {
        var next = waiting.FindIndex(r => (r.InvoiceIds is null ? _fullRuns : _invoiceRuns) < Capacity);
        tookOldest = next == 0;
        if (next < 0)
        {
            return null;
        }

        if (waiting[next].InvoiceIds is not null)
        {
            var request = waiting[next];
            waiting.RemoveAt(next);
            return [request];
        }

        // One run of every waiting document answers them all.
        var everything = waiting.FindAll(r => r.InvoiceIds is null);
        waiting.RemoveAll(r => r.InvoiceIds is null);
        return everything;
    }
}

/// <summary>A run the scheduler let start: the requests it answers, the first of which says what to send and why.</summary>
internal sealed class ScheduledRun
{
    public ScheduledRun(IReadOnlyList<SyncRunRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfZero(requests.Count);
        Requests = requests;
    }

    public IReadOnlyList<SyncRunRequest> Requests { get; }

    /// <summary>What to send (every waiting document, or these invoices) and why.</summary>
    public SyncRunRequest Request => Requests[0];

    public int BusinessId => Request.BusinessId;

    /// <summary>True for a run of chosen invoices (Re-sync, Retry, Sync selected), which has a lane of its own.</summary>
    public bool OfInvoices => Request.InvoiceIds is not null;

    /// <summary>Answers every request the run was for.</summary>
    public void Answer(SyncRunResult result)
    {
        foreach (var request in Requests)
        {
            request.Completion.TrySetResult(result);
        }
    }

    /// <summary>Tells every request the run was for that it will not be performed (the host is stopping).</summary>
    public void Cancel(CancellationToken stoppingToken)
    {
        foreach (var request in Requests)
        {
            request.Completion.TrySetCanceled(stoppingToken);
        }
    }
}

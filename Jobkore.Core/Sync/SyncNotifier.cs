using System.Collections.Concurrent;
using System.Threading.Channels;
using Jobkore.Core.Sync.Backplane;
using Jobkore.Core.SyncState;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.Sync;

/// <summary>Something about a business's sync changed.</summary>
public abstract record SyncEvent(int BusinessId);

/// <summary>
/// Committed saves changed these records (an edit, a push, a failure), each with its sync state as read after the
/// commit, and the business's counts with them (null when QuickBooks is not connected): a screen patches the rows it
/// shows, and reads again only when the set of rows it shows may have changed (<see cref="SyncRecordChangeKind"/>).
/// Published by <see cref="Tracking.SyncStateFeed"/> only.
/// </summary>
public sealed record SyncStatusChanged(int BusinessId, IReadOnlyList<SyncRecordChange> Changes, PendingCount? Counts) : SyncEvent(BusinessId);

/// <summary>
/// One record a committed save changed: <paramref name="View"/> is its sync state after the commit (null when it no
/// longer exists, or QuickBooks is not connected); <paramref name="InvoiceId"/>, for a payment, the invoice it pays.
/// </summary>
public sealed record SyncRecordChange(SyncEntityType EntityType, int EntityId, SyncRecordChangeKind Kind, SyncView? View, int? InvoiceId = null);

/// <summary>What a save did to a record, strongest last: a screen that shows the record patches a status change, and reads the record again for the others.</summary>
public enum SyncRecordChangeKind
{
    /// <summary>Only its sync state changed (a push, a failure, a change found in QuickBooks).</summary>
    Status,

    /// <summary>The record itself changed in Jobkore (what a row shows of it may differ), and its sync state with it.</summary>
    Edited,

    /// <summary>A new record: lists it belongs to gain a row.</summary>
    Added,

    /// <summary>Deleted: lists that show it lose a row.</summary>
    Removed,
}

public sealed record SyncRunStarted(int BusinessId, SyncTrigger Trigger) : SyncEvent(BusinessId);

/// <summary>The invoices a run is about to send (with their clients, items and payments), so screens can show them as syncing.</summary>
public sealed record SyncRunSending(int BusinessId, IReadOnlySet<int> InvoiceIds) : SyncEvent(BusinessId);

/// <summary><paramref name="Done"/> of <paramref name="Total"/> records handled so far in the running sync.</summary>
public sealed record SyncRunProgress(int BusinessId, int Done, int Total) : SyncEvent(BusinessId);

public sealed record SyncRunFinished(int BusinessId, SyncRunResult Result) : SyncEvent(BusinessId);

/// <summary>
/// Events of the business may have been lost on their way from another app instance (the backplane's connection was lost,
/// or its queue overflowed): whatever a subscriber shows of the business may be stale, so it reloads it all.
/// </summary>
public sealed record SyncEventsMissed(int BusinessId) : SyncEvent(BusinessId);

/// <summary>
/// The in-process notifier between the sync and the screens (docs/design.md §3): events are published per business and a
/// subscriber only ever receives its own business's, in the order they were published, one at a time, off the
/// publisher's path (each subscriber has its own queue). One failing handler is logged and never affects the others or
/// the sync. For several app instances a backplane goes behind this class (<see cref="ISyncBackplane"/>, on PostgreSQL
/// <see cref="PostgresSyncBackplane"/>): what is published here also goes to the other instances, and what they
/// publish reaches the subscribers here through <see cref="Deliver"/>.
/// </summary>
public sealed partial class SyncNotifier
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<Guid, Subscription>> _subscribers = new();
    private readonly ILogger<SyncNotifier> _logger;
    private readonly ISyncBackplane? _backplane;

    public SyncNotifier(ILogger<SyncNotifier> logger)
        : this(logger, null)
    {
    }

    internal SyncNotifier(ILogger<SyncNotifier> logger, ISyncBackplane? backplane)
    {
        _logger = logger;
        _backplane = backplane;
        backplane?.Attach(this);
    }

    /// <summary>The businesses someone here listens to (a backplane that may have lost events tells them to reload).</summary>
    internal IReadOnlyCollection<int> SubscribedBusinesses => [.. _subscribers.Where(s => !s.Value.IsEmpty).Select(s => s.Key)];

    /// <summary>Whether an event of the business can reach anyone: a subscriber here, or other app instances through the backplane.</summary>
    internal bool IsHeard(int businessId) => _backplane is not null || (_subscribers.TryGetValue(businessId, out var subscriptions) && !subscriptions.IsEmpty);

    public IDisposable Subscribe(int businessId, Func<SyncEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var id = Guid.NewGuid();
        var subscription = new Subscription(_logger, handler, () => _subscribers.GetValueOrDefault(businessId)?.TryRemove(id, out _));
        _subscribers.GetOrAdd(businessId, _ => new())[id] = subscription;
        return subscription;
    }

    /// <summary>Hands the event to this instance's subscribers of its business at once, and to the backplane for the others.</summary>
    public void Publish(SyncEvent syncEvent)
    {
        ArgumentNullException.ThrowIfNull(syncEvent);
        Deliver(syncEvent);
        _backplane?.Send(syncEvent);
    }

    /// <summary>Hands the event to this instance's subscribers only: an event another instance published, from the backplane.</summary>
    internal void Deliver(SyncEvent syncEvent)
    {
        if (!_subscribers.TryGetValue(syncEvent.BusinessId, out var subscriptions))
        {
            return;
        }

        foreach (var subscription in subscriptions.Values)
        {
            subscription.Enqueue(syncEvent);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A subscriber failed to handle {Event} of business {BusinessId}")]
    private static partial void LogHandlerFailed(ILogger logger, string @event, int businessId, Exception exception);

    /// <summary>One subscriber's queue and the loop that hands it its events in order.</summary>
    private sealed class Subscription : IDisposable
    {
        private readonly Channel<SyncEvent> _queue = Channel.CreateUnbounded<SyncEvent>(new UnboundedChannelOptions { SingleReader = true });
        private readonly ILogger _logger;
        private readonly Func<SyncEvent, Task> _handler;
        private Action? _unsubscribe;

        public Subscription(ILogger logger, Func<SyncEvent, Task> handler, Action unsubscribe)
        {
            _logger = logger;
            _handler = handler;
            _unsubscribe = unsubscribe;
            _ = Task.Run(DeliverAsync);
        }

        public void Enqueue(SyncEvent syncEvent) => _queue.Writer.TryWrite(syncEvent);

        private async Task DeliverAsync()
        {
            await foreach (var syncEvent in _queue.Reader.ReadAllAsync())
            {
                if (_unsubscribe is null)
                {
                    return;
                }

                try
                {
                    await _handler(syncEvent);
                }
                catch (Exception ex)
                {
                    LogHandlerFailed(_logger, syncEvent.GetType().Name, syncEvent.BusinessId, ex);
                }
            }
        }

        public void Dispose()
        {
            Interlocked.Exchange(ref _unsubscribe, null)?.Invoke();
            _queue.Writer.TryComplete();
        }
    }
}

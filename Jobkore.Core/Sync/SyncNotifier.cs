using System.Collections.Concurrent;
using System.Threading.Channels;
using Jobkore.Core.Sync.Backplane;
using Jobkore.Core.SyncState;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.Sync;

/// <summary>Something about a business's sync changed; subscribers re-read what they show.</summary>
public abstract record SyncEvent(int BusinessId);

/// <summary>A record's sync status may have changed (an edit, a push, a failure); the waiting count with it.</summary>
public sealed record SyncStatusChanged(int BusinessId, SyncEntityType EntityType, int EntityId) : SyncEvent(BusinessId);

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

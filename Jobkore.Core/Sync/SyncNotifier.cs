using System.Collections.Concurrent;
using System.Threading.Channels;
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
/// the sync. For several app instances a backplane goes behind this class.
/// </summary>
public sealed partial class SyncNotifier(ILogger<SyncNotifier> logger)
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<Guid, Subscription>> _subscribers = new();

    public IDisposable Subscribe(int businessId, Func<SyncEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var id = Guid.NewGuid();
        var subscription = new Subscription(logger, handler, () => _subscribers.GetValueOrDefault(businessId)?.TryRemove(id, out _));
        _subscribers.GetOrAdd(businessId, _ => new())[id] = subscription;
        return subscription;
    }

    public void Publish(SyncEvent syncEvent)
    {
        ArgumentNullException.ThrowIfNull(syncEvent);
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

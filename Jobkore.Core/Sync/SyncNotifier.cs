using System.Collections.Concurrent;
using Jobkore.Core.QuickBooks.Mappings;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.Sync;

/// <summary>Something about a business's sync changed; subscribers re-read what they show.</summary>
public abstract record SyncEvent(int BusinessId);

/// <summary>A record's sync status may have changed (an edit, a push, a failure); the waiting count with it.</summary>
public sealed record SyncStatusChanged(int BusinessId, SyncEntityType EntityType, int EntityId) : SyncEvent(BusinessId);

public sealed record SyncRunStarted(int BusinessId, SyncTrigger Trigger) : SyncEvent(BusinessId);

/// <summary><paramref name="Done"/> of <paramref name="Total"/> records handled so far in the running sync.</summary>
public sealed record SyncRunProgress(int BusinessId, int Done, int Total) : SyncEvent(BusinessId);

public sealed record SyncRunFinished(int BusinessId, SyncRunResult Result) : SyncEvent(BusinessId);

/// <summary>
/// The in-process notifier between the sync and the screens (DESIGN.md §3): events are published per business and a
/// subscriber only ever receives its own business's. Handlers run off the publisher's path; one failing handler is
/// logged and never affects the others or the sync. For several app instances a backplane goes behind this class.
/// </summary>
public sealed partial class SyncNotifier(ILogger<SyncNotifier> logger)
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<Guid, Func<SyncEvent, Task>>> _subscribers = new();

    public IDisposable Subscribe(int businessId, Func<SyncEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var id = Guid.NewGuid();
        _subscribers.GetOrAdd(businessId, _ => new())[id] = handler;
        return new Subscription(() => _subscribers.GetValueOrDefault(businessId)?.TryRemove(id, out _));
    }

    public void Publish(SyncEvent syncEvent)
    {
        ArgumentNullException.ThrowIfNull(syncEvent);
        if (!_subscribers.TryGetValue(syncEvent.BusinessId, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers.Values)
        {
            _ = DeliverAsync(handler, syncEvent);
        }
    }

    private async Task DeliverAsync(Func<SyncEvent, Task> handler, SyncEvent syncEvent)
    {
        try
        {
            await Task.Yield();
            await handler(syncEvent);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(logger, syncEvent.GetType().Name, syncEvent.BusinessId, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A subscriber failed to handle {Event} of business {BusinessId}")]
    private static partial void LogHandlerFailed(ILogger logger, string @event, int businessId, Exception exception);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}

using System.Threading.Channels;
using Jobkore.Core.Businesses;
using Jobkore.Core.SyncState;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.Sync.Tracking;

/// <summary>
/// Tells the screens what committed saves changed (<see cref="SyncStatusChanged"/>): off the saver's path, it reads
/// each changed record's sync state and the business's counts once, after the commit, and publishes them, so an open
/// page patches its rows instead of every page querying again. Saves committed while it reads are folded into its next
/// read. A business nobody hears (no page here, no other instance) costs nothing. When reading fails, the business's
/// pages are told to reload (<see cref="SyncEventsMissed"/>): never stale silently.
/// </summary>
internal sealed partial class SyncStateFeed : IDisposable
{
    /// <summary>Changes per event, so an event of a big run stays within one backplane message.</summary>
    internal const int ChangesPerEvent = 20;

    private readonly Channel<(int BusinessId, IReadOnlyList<SyncRecordChange> Changes)> _queue =
        Channel.CreateUnbounded<(int, IReadOnlyList<SyncRecordChange>)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly SyncNotifier _notifier;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<SyncStateFeed> _logger;
    private int _started;

    public SyncStateFeed(SyncNotifier notifier, IServiceScopeFactory scopes, ILogger<SyncStateFeed> logger)
    {
        _notifier = notifier;
        _scopes = scopes;
        _logger = logger;
    }

    /// <summary>Committed changes of one business, to be told.</summary>
    public void Add(int businessId, IReadOnlyList<SyncRecordChange> changes)
    {
        if (changes.Count == 0 || !_notifier.IsHeard(businessId))
        {
            return;
        }

        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = Task.Run(TellAsync);
        }

        _queue.Writer.TryWrite((businessId, changes));
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private async Task TellAsync()
    {
        while (await _queue.Reader.WaitToReadAsync())
        {
            var waiting = new Dictionary<int, Dictionary<(SyncEntityType, int), SyncRecordChange>>();
            while (_queue.Reader.TryRead(out var item))
            {
                var changes = waiting.TryGetValue(item.BusinessId, out var known) ? known : waiting[item.BusinessId] = [];
                foreach (var change in item.Changes)
                {
                    var key = (change.EntityType, change.EntityId);
                    changes[key] = changes.TryGetValue(key, out var earlier) ? Stronger(earlier, change) : change;
                }
            }

            foreach (var (businessId, changes) in waiting)
            {
                try
                {
                    foreach (var syncEvent in await ReadAsync(businessId, [.. changes.Values]))
                    {
                        _notifier.Publish(syncEvent);
                    }
                }
                catch (Exception ex)
                {
                    LogReadFailed(_logger, businessId, ex);
                    _notifier.Publish(new SyncEventsMissed(businessId));
                }
            }
        }
    }

    /// <summary>Of two changes of one record, the one a screen must act on most (a new or deleted record over an edit over a status change), with what either knew of its invoice.</summary>
    private static SyncRecordChange Stronger(SyncRecordChange earlier, SyncRecordChange later) =>
        (later.Kind >= earlier.Kind ? later : earlier) with { InvoiceId = later.InvoiceId ?? earlier.InvoiceId };

    /// <summary>The changes with their records' sync states as committed now, and the counts, in events of <see cref="ChangesPerEvent"/> changes.</summary>
    private async Task<List<SyncStatusChanged>> ReadAsync(int businessId, List<SyncRecordChange> changes)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var business = scope.ServiceProvider.GetRequiredService<BusinessDirectory>().Find(businessId);
        if (business is null)
        {
            return [];
        }

        await using var businessScope = scope.ServiceProvider.GetRequiredService<IBusinessScopeFactory>().CreateScope(business);
        var statuses = businessScope.ServiceProvider.GetRequiredService<SyncStatuses>();
        var state = await statuses.StateOfAsync(changes, CancellationToken.None);
        return [.. state.Changes.Chunk(ChangesPerEvent).Select(chunk => new SyncStatusChanged(businessId, chunk, state.Counts))];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the sync state of business {BusinessId}'s changed records: its pages reload")]
    private static partial void LogReadFailed(ILogger logger, int businessId, Exception exception);
}

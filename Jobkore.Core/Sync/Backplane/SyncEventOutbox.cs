using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Jobkore.Core.Sync.Backplane;

/// <summary>
/// The events waiting for the backplane's sender, oldest first, whole (an event's parts go together). While the database
/// cannot be reached they wait here, at most <c>capacity</c> of them: past it the oldest is dropped, and its business is
/// owed a <see cref="SyncEventsMissed"/>, which goes out at the head of the next batch, so no instance stays stale.
/// </summary>
internal sealed class SyncEventOutbox
{
    private readonly Channel<SyncEventBodies> _queue;
    private readonly ConcurrentDictionary<int, byte> _owed = new();
    private long _dropped;

    public SyncEventOutbox(int capacity)
    {
        _queue = Channel.CreateBounded<SyncEventBodies>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                Interlocked.Increment(ref _dropped);
                Owe(dropped.BusinessId);
            });
    }

    /// <summary>How many events were dropped to keep within the capacity, since the start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues the event; false once the outbox is completed (the app is stopping).</summary>
    public bool Add(SyncEventBodies bodies) => _queue.Writer.TryWrite(bodies);

    /// <summary>The business's other instances must reload: one of its events could not be sent.</summary>
    public void Owe(int businessId) => _owed.TryAdd(businessId, 0);

    /// <summary>Waits for something to send; false once the outbox is completed and empty.</summary>
    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken) =>
        !_owed.IsEmpty || await _queue.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>No more events will be added (the app is stopping); what waits can still be taken.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>The reload events owed, then waiting events, oldest first, until they hold <paramref name="maxBodies"/> bodies (at least one event).</summary>
    public List<SyncEventBodies> TakeBatch(int maxBodies)
    {
        var batch = new List<SyncEventBodies>();
        var bodies = 0;
        foreach (var businessId in _owed.Keys)
        {
            if (_owed.TryRemove(businessId, out _))
            {
                batch.Add(SyncEventCodec.Encode(new SyncEventsMissed(businessId)));
                bodies++;
            }
        }

        while (bodies < maxBodies && _queue.Reader.TryRead(out var next))
        {
            batch.Add(next);
            bodies += next.Bodies.Count;
        }

        return batch;
    }
}

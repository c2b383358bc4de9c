using Jobkore.Core.QuickBooks.Client;

namespace Jobkore.Core.Sync.Engine;

/// <summary>One step's writes, taken by the lanes: batches from the writes that may share a request, single slots from any.</summary>
internal sealed class SyncWriteQueue(IEnumerable<SyncWrite> writes, int batchSize)
{
    private readonly Lock _gate = new();
    private readonly Queue<SyncWrite> _alone = new(writes.Where(w => w.MustGoAlone));
    private readonly Queue<SyncWrite> _batchable = new(writes.Where(w => !w.MustGoAlone));

    /// <summary>The slot the next request needs, or null when nothing is left.</summary>
    public QboSlotKind? NextKind()
    {
        lock (_gate)
        {
            return _alone.Count + _batchable.Count == 0 ? null
                : batchSize > 1 && _batchable.Count > 1 ? QboSlotKind.BatchOrRequest
                : QboSlotKind.Request;
        }
    }

    public List<SyncWrite> Take(bool batch)
    {
        lock (_gate)
        {
            var taken = new List<SyncWrite>();
            if (!batch && _alone.Count > 0)
            {
                taken.Add(_alone.Dequeue());
                return taken;
            }

            while (_batchable.Count > 0 && taken.Count < (batch ? batchSize : 1))
            {
                taken.Add(_batchable.Dequeue());
            }

            return taken;
        }
    }
}

namespace Jobkore.QuickBooksSandbox.Changes;

/// <summary>A deleted transaction as change data capture remembers it: its entity, id and time of deletion.</summary>
internal sealed record Tombstone(string Entity, string Id, DateTimeOffset DeletedAt);

/// <summary>
/// One company's deleted transactions, for change data capture's "Deleted" stubs (docs/quickbooks-api.md §10 "Change data
/// capture"). QBO keeps changes 30 days, so a tombstone older than that is dropped when the next one is added. Written
/// under the company's lock; the file-backed store saves what was added and forgets what was dropped.
/// </summary>
internal sealed class Tombstones
{
    /// <summary>How far back change data capture looks, and so how long a tombstone is worth keeping.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(30);

    private readonly Dictionary<(string Entity, string Id), Tombstone> _byRecord = [];
    private readonly List<Tombstone> _unsaved = [];

    /// <summary>Tombstones deleted before this instant are gone from memory and still to be deleted from the file.</summary>
    public DateTimeOffset? DroppedBefore { get; private set; }

    public IReadOnlyList<Tombstone> Unsaved => _unsaved;

    public void Add(string entity, string id, DateTimeOffset deletedAt)
    {
        DropOlderThan(deletedAt - KeptFor);
        var tombstone = new Tombstone(entity, id, deletedAt);
        _byRecord[(entity, id)] = tombstone;
        _unsaved.Add(tombstone);
    }

    /// <summary>A tombstone read back from the file.</summary>
    public void Restore(Tombstone tombstone) => _byRecord[(tombstone.Entity, tombstone.Id)] = tombstone;

    /// <summary>The entity's records deleted at or after <paramref name="since"/>.</summary>
    public IEnumerable<Tombstone> Of(string entity, DateTimeOffset since) =>
        _byRecord.Values.Where(t => t.Entity == entity && t.DeletedAt >= since);

    /// <summary>The file now holds what was added and no longer what was dropped.</summary>
    public void Saved()
    {
        _unsaved.Clear();
        DroppedBefore = null;
    }

    private void DropOlderThan(DateTimeOffset oldestKept)
    {
        foreach (var key in _byRecord.Where(p => p.Value.DeletedAt < oldestKept).Select(p => p.Key).ToList())
        {
            _byRecord.Remove(key);
        }

        DroppedBefore = oldestKept;
    }
}

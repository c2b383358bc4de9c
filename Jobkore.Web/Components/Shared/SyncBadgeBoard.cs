using Jobkore.Core.Sync;

namespace Jobkore.Web.Components.Shared;

/// <summary>
/// The live badges of a list, by record id: a change that only moves a shown record's status redraws that record's
/// badge alone (<see cref="LiveSyncBadge"/>), not the page and its table. Used on the renderer's thread only.
/// </summary>
public sealed class SyncBadgeBoard
{
    private readonly Dictionary<int, LiveSyncBadge> _badges = [];

    internal void Register(int id, LiveSyncBadge badge) => _badges[id] = badge;

    internal void Unregister(int id, LiveSyncBadge badge)
    {
        if (_badges.TryGetValue(id, out var registered) && registered == badge)
        {
            _badges.Remove(id);
        }
    }

    /// <summary>Shows <paramref name="view"/> on the record's badge; false when no badge of it is on the page.</summary>
    public bool Show(int id, SyncView view)
    {
        if (!_badges.TryGetValue(id, out var badge))
        {
            return false;
        }

        badge.Show(view);
        return true;
    }
}

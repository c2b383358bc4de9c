using System.Collections.Concurrent;

namespace Jobkore.Core.QuickBooks.Connections;

/// <summary>
/// Each connection's access token, kept in memory until it is due for refresh, so a request needs neither the
/// connection row nor a decryption (the stored copy stays encrypted). The row is read again at least every
/// <see cref="RecheckAfter"/>: a Disconnect or "Reconnect needed" written by another instance stops this one within
/// that time even if Intuit still accepts the token. This instance forgets a business's tokens the moment it connects
/// or disconnects.
/// </summary>
public sealed class QboAccessTokenCache(TimeProvider timeProvider)
{
    /// <summary>How long a token is handed out before the connection row is read again.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(int BusinessId, string RealmId), Entry> _tokens = new();

    /// <summary>The cached token, or null when there is none, it is due for refresh, or the row is due to be read again.</summary>
    public string? Get(int businessId, string realmId)
    {
        var now = timeProvider.GetUtcNow();
        return _tokens.TryGetValue((businessId, realmId), out var entry) && now < entry.RefreshAt && now < entry.CheckedAt + RecheckAfter ? entry.Token : null;
    }

    /// <summary>Keeps a token just read from the connection row (or just refreshed) until <paramref name="refreshAt"/>.</summary>
    public void Keep(int businessId, string realmId, string token, DateTimeOffset refreshAt) =>
        _tokens[(businessId, realmId)] = new Entry(token, refreshAt, timeProvider.GetUtcNow());

    public void Forget(int businessId, string realmId) => _tokens.TryRemove((businessId, realmId), out _);

    /// <summary>Forgets every token of the business: it connected, reconnected or disconnected.</summary>
    public void Forget(int businessId)
    {
        foreach (var key in _tokens.Keys.Where(k => k.BusinessId == businessId))
        {
            _tokens.TryRemove(key, out _);
        }
    }

    private sealed record Entry(string Token, DateTimeOffset RefreshAt, DateTimeOffset CheckedAt);
}

namespace Jobkore.Core.QuickBooks.Connections;

/// <summary>
/// Each connection's access token, kept in memory until it is due for refresh, so a request needs neither the
/// connection row nor a decryption (the stored copy stays encrypted). The row is read again at least every
/// <see cref="RecheckAfter"/>: a Disconnect or "Reconnect needed" written by another instance stops this one within
/// that time even if Intuit still accepts the token. This instance forgets a business's tokens the moment it connects
/// or disconnects, and a token read from the row before that is not kept after it.
/// </summary>
public sealed class QboAccessTokenCache(TimeProvider timeProvider)
{
    /// <summary>How long a token is handed out before the connection row is read again.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<(int BusinessId, string RealmId), Entry> _tokens = [];
    private readonly Dictionary<int, long> _generations = [];

    /// <summary>The cached token, or null when there is none, it is due for refresh, or the row is due to be read again.</summary>
    public string? Get(int businessId, string realmId)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            return _tokens.TryGetValue((businessId, realmId), out var entry) && now < entry.RefreshAt && now < entry.ReadAt + RecheckAfter ? entry.Token : null;
        }
    }

    /// <summary>Take before reading the connection row, and hand to <see cref="Keep"/>: a Forget in between voids the read.</summary>
    public long Generation(int businessId)
    {
        lock (_gate)
        {
            return _generations.GetValueOrDefault(businessId);
        }
    }

    /// <summary>
    /// Keeps a token read from the connection row (or just refreshed) at <paramref name="readAt"/> until
    /// <paramref name="refreshAt"/>, unless the business's tokens were forgotten since <paramref name="generation"/> or
    /// a newer token is already kept.
    /// </summary>
    public void Keep(int businessId, string realmId, long generation, string token, DateTimeOffset refreshAt, DateTimeOffset readAt)
    {
        lock (_gate)
        {
            if (_generations.GetValueOrDefault(businessId) != generation
                || (_tokens.TryGetValue((businessId, realmId), out var kept) && kept.RefreshAt > refreshAt))
            {
                return;
            }

            _tokens[(businessId, realmId)] = new Entry(token, refreshAt, readAt);
        }
    }

    /// <summary>Forgets one connection's token: it is due for refresh, was rejected, or the row is read again.</summary>
    public void Forget(int businessId, string realmId)
    {
        lock (_gate)
        {
            _tokens.Remove((businessId, realmId));
        }
    }

    /// <summary>Forgets every token of the business, and any read of its rows in flight: it connected, reconnected or disconnected.</summary>
    public void Forget(int businessId)
    {
        lock (_gate)
        {
            _generations[businessId] = _generations.GetValueOrDefault(businessId) + 1;
            foreach (var key in _tokens.Keys.Where(k => k.BusinessId == businessId).ToList())
            {
                _tokens.Remove(key);
            }
        }
    }

    private sealed record Entry(string Token, DateTimeOffset RefreshAt, DateTimeOffset ReadAt);
}

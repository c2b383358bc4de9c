namespace Jobkore.QuickBooksSandbox.FaultInjection;

/// <summary>What can go wrong on purpose, for one company or for all (issue rule 11).</summary>
public sealed record FaultSettings
{
    /// <summary>Added to every Accounting API call.</summary>
    public int LatencyMilliseconds { get; init; }

    /// <summary>Share of calls answered 503 with a SystemFault, 0 to 1.</summary>
    public double ServerErrorRate { get; init; }

    /// <summary>The next N calls are answered 429 (code 3001).</summary>
    public int ThrottleBurst { get; init; }

    /// <summary>Share of writes that are stored but whose connection is cut before the answer, 0 to 1 (reads are never cut: they commit nothing).</summary>
    public double DropAfterCommitRate { get; init; }
}

/// <summary>
/// Deterministic fault injection: the same seed and the same calls give the same faults. Driven from tests in
/// process through this class, or over HTTP at <c>{base}/_sandbox/faults</c> when enabled in configuration.
/// </summary>
public sealed class SandboxFaults
{
    private readonly object _gate = new();
    private readonly Dictionary<string, FaultSettings> _byRealm = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _throttleLeft = new(StringComparer.Ordinal);
    private FaultSettings? _global;
    private int _globalThrottleLeft;
    private Random _random = new(1);

    internal SandboxState? State { get; set; }

    /// <summary>Sets the faults for one company (<paramref name="realmId"/>) or for all (null), and restarts the random sequence.</summary>
    public void Configure(string? realmId, FaultSettings settings, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (_gate)
        {
            _random = new Random(seed);
            if (realmId is null)
            {
                _global = settings;
                _globalThrottleLeft = settings.ThrottleBurst;
            }
            else
            {
                _byRealm[realmId] = settings;
                _throttleLeft[realmId] = settings.ThrottleBurst;
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _byRealm.Clear();
            _throttleLeft.Clear();
            _global = null;
            _globalThrottleLeft = 0;
        }
    }

    /// <summary>Makes every access token of the company (or of all) expire now; refresh tokens still work.</summary>
    public void ExpireAccessTokensNow(string? realmId, DateTimeOffset now) => ForTokens(state =>
    {
        foreach (var token in state.AccessTokens.Values.Where(t => realmId is null || t.Grant.RealmId == realmId).ToList())
        {
            state.AccessTokens[token.Token] = token with { ExpiresAt = now };
        }
    });

    /// <summary>Revokes every grant of the company (or of all): API calls get 401, refreshes invalid_grant.</summary>
    public void RevokeGrantsNow(string? realmId) => ForTokens(state =>
    {
        foreach (var grant in state.RefreshTokens.Values.Select(t => t.Grant).Where(g => realmId is null || g.RealmId == realmId))
        {
            grant.Revoked = true;
        }
    });

    internal FaultDecision Decide(string realmId)
    {
        lock (_gate)
        {
            var settings = _byRealm.GetValueOrDefault(realmId) ?? _global;
            if (settings is null)
            {
                return FaultDecision.None;
            }

            var throttle = false;
            if (_byRealm.ContainsKey(realmId) && _throttleLeft[realmId] > 0)
            {
                _throttleLeft[realmId]--;
                throttle = true;
            }
            else if (!_byRealm.ContainsKey(realmId) && _globalThrottleLeft > 0)
            {
                _globalThrottleLeft--;
                throttle = true;
            }

            return new FaultDecision(
                TimeSpan.FromMilliseconds(settings.LatencyMilliseconds),
                throttle,
                !throttle && _random.NextDouble() < settings.ServerErrorRate,
                _random.NextDouble() < settings.DropAfterCommitRate);
        }
    }

    private void ForTokens(Action<SandboxState> change)
    {
        var state = State ?? throw new InvalidOperationException("The sandbox is not running yet.");
        lock (state.OAuthGate)
        {
            change(state);
        }
    }
}

internal sealed record FaultDecision(TimeSpan Latency, bool Throttle, bool ServerError, bool DropAfterCommit)
{
    public static readonly FaultDecision None = new(TimeSpan.Zero, false, false, false);
}

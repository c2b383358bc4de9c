using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Jobkore.QuickBooksSandbox;

/// <summary>Everything the sandbox knows, in memory: the sandbox user, companies and their records, grants and tokens.</summary>
internal sealed class SandboxState
{
    public object OAuthGate { get; } = new();

    public SandboxUser User { get; } = new("sandbox-user-1", "Sandy", "Sandbox", "sandy.sandbox@example.com");

    /// <summary>Every company by realm id. Concurrent: a shared sandbox adds a tenant's company while others are being read.</summary>
    public ConcurrentDictionary<string, SandboxCompany> Companies { get; } = new(StringComparer.Ordinal);

    /// <summary>In a sandbox shared by tenants (<see cref="Tenancy.ISandboxTenancy"/>), each tenant's own company.</summary>
    public ConcurrentDictionary<string, SandboxCompany> CompaniesByTenant { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AuthorizationCode> Codes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AccessToken> AccessTokens { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RefreshToken> RefreshTokens { get; } = new(StringComparer.Ordinal);

    public static string NewSecret(int bytes = 32) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal sealed record SandboxUser(string Sub, string GivenName, string FamilyName, string Email);

internal sealed record Grant(string Id, string ClientId, string RealmId)
{
    public bool Revoked { get; set; }
}

internal sealed record AuthorizationCode(string Code, string ClientId, string RedirectUri, string RealmId, string Scope, DateTimeOffset ExpiresAt)
{
    public bool Used { get; set; }
}

internal sealed record AccessToken(string Token, Grant Grant, DateTimeOffset ExpiresAt);

internal sealed record RefreshToken(string Token, Grant Grant, DateTimeOffset ExpiresAt)
{
    /// <summary>When a newer refresh token replaced this one; it keeps working for the grace period after that.</summary>
    public DateTimeOffset? SupersededAt { get; set; }
}

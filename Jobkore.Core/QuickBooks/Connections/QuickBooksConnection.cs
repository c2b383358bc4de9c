using Jobkore.Core.Domain;

namespace Jobkore.Core.QuickBooks.Connections;

/// <summary>
/// A business's connection to one QBO company. Tokens are stored only in their Data Protection-encrypted form;
/// <see cref="TokensUpdatedAt"/> changes with every refresh, so two processes cannot both store a rotation.
/// A connection disconnected with its mappings kept stays, without tokens, so the app knows which company the
/// kept mappings belong to.
/// </summary>
public sealed class QuickBooksConnection : IBusinessOwned
{
    private QuickBooksConnection()
    {
        RealmId = CompanyName = Environment = ConnectedBy = ProtectedAccessToken = ProtectedRefreshToken = string.Empty;
    }

    public QuickBooksConnection(int businessId, string realmId, string companyName, string environment, string connectedBy, DateTimeOffset connectedAt, ProtectedTokens tokens)
        : this()
    {
        ArgumentNullException.ThrowIfNull(tokens);
        BusinessId = businessId;
        RealmId = realmId;
        CompanyName = companyName;
        Environment = environment;
        ConnectedBy = connectedBy;
        ConnectedAt = connectedAt;
        ChangesCheckedUpTo = connectedAt;
        Store(tokens, connectedAt);
    }

    public int Id { get; private set; }

    public int BusinessId { get; private set; }

    /// <summary>The QBO company id.</summary>
    public string RealmId { get; private set; }

    public string CompanyName { get; private set; }

    /// <summary>BuiltInSandbox, IntuitSandbox or Production.</summary>
    public string Environment { get; private set; }

    public string ConnectedBy { get; private set; }

    public DateTimeOffset ConnectedAt { get; private set; }

    public QuickBooksConnectionStatus Status { get; private set; }

    public string ProtectedAccessToken { get; private set; }

    public DateTimeOffset AccessTokenExpiresAt { get; private set; }

    public string ProtectedRefreshToken { get; private set; }

    public DateTimeOffset RefreshTokenExpiresAt { get; private set; }

    public DateTimeOffset TokensUpdatedAt { get; private set; }

    /// <summary>When a sync run last finished for this company; null until the first.</summary>
    public DateTimeOffset? LastSyncedAt { get; private set; }

    /// <summary>
    /// Jobkore has looked at every change QuickBooks made to the company up to this time (change data capture, webhooks;
    /// docs/design.md §11); null until the first look, which starts from then.
    /// </summary>
    public DateTimeOffset? ChangesCheckedUpTo { get; private set; }

    /// <summary>Connects again (to the same company, or to another one when no mappings are kept) with new tokens.</summary>
    public void Reconnect(string realmId, string companyName, string environment, string connectedBy, DateTimeOffset connectedAt, ProtectedTokens tokens)
    {
        if (realmId != RealmId)
        {
            LastSyncedAt = null;
            ChangesCheckedUpTo = connectedAt;
        }

        // The same company again: its changes meanwhile are looked at from where the last look stopped.
        ChangesCheckedUpTo ??= connectedAt;

        RealmId = realmId;
        CompanyName = companyName;
        Environment = environment;
        ConnectedBy = connectedBy;
        ConnectedAt = connectedAt;
        Store(tokens, connectedAt);
    }

    /// <summary>Forgets the tokens; the row stays as the record of whose mappings are kept.</summary>
    public void Disconnect(DateTimeOffset now)
    {
        ProtectedAccessToken = ProtectedRefreshToken = string.Empty;
        AccessTokenExpiresAt = RefreshTokenExpiresAt = now;
        TokensUpdatedAt = now;
        Status = QuickBooksConnectionStatus.Disconnected;
    }

    public void RecordSync(DateTimeOffset finishedAt) => LastSyncedAt = finishedAt;

    /// <summary>Keeps the newest tokens: Intuit rotates the refresh token and the previous one stops working (docs/quickbooks-api.md §1).</summary>
    public void Store(ProtectedTokens tokens, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ProtectedAccessToken = tokens.ProtectedAccessToken;
        AccessTokenExpiresAt = tokens.AccessTokenExpiresAt;
        ProtectedRefreshToken = tokens.ProtectedRefreshToken;
        RefreshTokenExpiresAt = tokens.RefreshTokenExpiresAt;
        TokensUpdatedAt = now;
        Status = QuickBooksConnectionStatus.Connected;
    }

    public void MarkReconnectNeeded(DateTimeOffset now)
    {
        Status = QuickBooksConnectionStatus.ReconnectNeeded;
        TokensUpdatedAt = now;
    }
}

/// <summary>Tokens already encrypted for storage, with their expiry times.</summary>
public sealed record ProtectedTokens(string ProtectedAccessToken, DateTimeOffset AccessTokenExpiresAt, string ProtectedRefreshToken, DateTimeOffset RefreshTokenExpiresAt)
{
    public override string ToString() => $"ProtectedTokens {{ AccessTokenExpiresAt = {AccessTokenExpiresAt:O}, RefreshTokenExpiresAt = {RefreshTokenExpiresAt:O} }}";
}

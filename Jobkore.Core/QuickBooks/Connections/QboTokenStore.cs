using System.Collections.Concurrent;
using System.Security.Cryptography;
using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.OAuth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.QuickBooks.Connections;

/// <summary>
/// Hands out access tokens for the current business's QBO connection (docs/quickbooks-api.md §1 "Lifetimes and rotation"):
/// refreshes ahead of expiry, one refresh at a time per connection however many callers wait, stores the newest
/// refresh token every time, and on <c>invalid_grant</c> marks the connection "Reconnect needed". Between refreshes the
/// token comes from <see cref="QboAccessTokenCache"/>.
/// </summary>
public sealed partial class QboTokenStore(
    IDbContextFactory<JobkoreDbContext> dbFactory,
    ICurrentBusiness currentBusiness,
    QboTokenProtector protector,
    IntuitOAuthClient oauth,
    IIntuitEnvironments environments,
    QboTokenRefreshLocks locks,
    QboAccessTokenCache cache,
    TimeProvider timeProvider,
    ILogger<QboTokenStore> logger) : IQboAccessTokens
{
    /// <summary>Refresh this long before the access token expires, so a call never starts with a token about to lapse.</summary>
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(5);

    public async ValueTask<string> GetAccessTokenAsync(string realmId, string? rejectedToken, CancellationToken cancellationToken)
    {
        var businessId = currentBusiness.Profile.Id;
        if (cache.Get(businessId, realmId) is { } cached && cached != rejectedToken)
        {
            return cached;
        }

        cache.Forget(businessId, realmId);
        var generation = cache.Generation(businessId);
        var readAt = timeProvider.GetUtcNow();
        var connection = await LoadAsync(realmId, cancellationToken);
        if (Usable(connection, rejectedToken) is { } token)
        {
            return Keep(connection, token, generation, readAt);
        }

        var gate = locks.For(businessId, realmId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            // Whoever held the gate before us may have refreshed already.
            generation = cache.Generation(businessId);
            readAt = timeProvider.GetUtcNow();
            connection = await LoadAsync(realmId, cancellationToken);
            return Keep(connection, Usable(connection, rejectedToken) ?? await RefreshAsync(connection, cancellationToken), generation, readAt);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Caches the connection's current access token (after a refresh, <paramref name="connection"/> holds the new expiry).</summary>
    private string Keep(QuickBooksConnection connection, string token, long generation, DateTimeOffset readAt)
    {
        cache.Keep(currentBusiness.Profile.Id, connection.RealmId, generation, token, connection.AccessTokenExpiresAt - RefreshAhead, readAt);
        return token;
    }

    private string? Usable(QuickBooksConnection connection, string? rejectedToken)
    {
        if (connection.Status == QuickBooksConnectionStatus.ReconnectNeeded)
        {
            throw ReconnectNeeded(connection);
        }

        if (connection.AccessTokenExpiresAt - RefreshAhead <= timeProvider.GetUtcNow())
        {
            return null;
        }

        // Unreadable (the keys changed): the refresh tells whether the refresh token still reads.
        return TryUnprotect(connection.ProtectedAccessToken) is { } token && token != rejectedToken ? token : null;
    }

    private string? TryUnprotect(string protectedToken)
    {
        try
        {
            return protector.Unprotect(protectedToken);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private async Task<string> RefreshAsync(QuickBooksConnection connection, CancellationToken cancellationToken)
    {
        var endpoints = await environments.GetEndpointsAsync(connection.Environment, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Attach(connection);
        if (TryUnprotect(connection.ProtectedRefreshToken) is not { } refreshToken)
        {
            // The tokens were encrypted with Data Protection keys this installation no longer has (keys folder lost,
            // certificate changed): only a new Connect gives Jobkore tokens again.
            connection.MarkReconnectNeeded(timeProvider.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
            LogTokensUnreadable(logger, connection.RealmId);
            throw ReconnectNeeded(connection);
        }

        try
        {
            var response = await oauth.RefreshAsync(endpoints, environments.Credentials, refreshToken, cancellationToken);

            // Intuit has rotated the refresh token: store it even if the caller gave up meanwhile, or the grant is lost.
            connection.Store(protector.Protect(response, timeProvider.GetUtcNow()), timeProvider.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another process refreshed at the same moment and stored its tokens; both stay valid for a day
                // (docs/quickbooks-api.md §1), so use the stored ones and keep one source of truth.
                return protector.Unprotect((await LoadAsync(connection.RealmId, CancellationToken.None)).ProtectedAccessToken);
            }

            LogRefreshed(logger, connection.RealmId);
            return response.AccessToken;
        }
        catch (IntuitOAuthException ex) when (ex.IsInvalidGrant)
        {
            connection.MarkReconnectNeeded(timeProvider.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
            LogReconnectNeeded(logger, connection.RealmId, ex.IntuitTid);
            throw ReconnectNeeded(connection);
        }
    }

    private async Task<QuickBooksConnection> LoadAsync(string realmId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.QuickBooksConnections.AsNoTracking().SingleOrDefaultAsync(c => c.RealmId == realmId && c.Status != QuickBooksConnectionStatus.Disconnected, cancellationToken)
            ?? throw new QuickBooksException(new QuickBooksError(QuickBooksErrorKind.Unauthorized, 0, null, null, "QuickBooks is not connected to this company.", null, null));
    }

    private static QuickBooksException ReconnectNeeded(QuickBooksConnection connection) =>
        new(new QuickBooksError(QuickBooksErrorKind.Unauthorized, 0, null, null,
            $"QuickBooks needs to be reconnected: {connection.CompanyName} no longer accepts Jobkore's sign-in. An admin can reconnect in Settings › Integrations; nothing waiting is lost.", null, null));

    [LoggerMessage(Level = LogLevel.Information, Message = "Refreshed the QuickBooks access token for company {RealmId}")]
    private static partial void LogRefreshed(ILogger logger, string realmId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored QuickBooks tokens of company {RealmId} cannot be read with this installation's Data Protection keys "
        + "(DataProtection:KeysPath or DataProtection:CertificatePath changed); the connection needs to be reconnected")]
    private static partial void LogTokensUnreadable(ILogger logger, string realmId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "QuickBooks refused the refresh token for company {RealmId} (invalid_grant, intuit_tid {IntuitTid}); the connection needs to be reconnected")]
    private static partial void LogReconnectNeeded(ILogger logger, string realmId, string? intuitTid);
}

/// <summary>One gate per connection for the whole process, so concurrent callers share a single refresh.</summary>
public sealed class QboTokenRefreshLocks
{
    private readonly ConcurrentDictionary<(int BusinessId, string RealmId), SemaphoreSlim> _gates = new();

    internal SemaphoreSlim For(int businessId, string realmId) => _gates.GetOrAdd((businessId, realmId), _ => new SemaphoreSlim(1, 1));
}

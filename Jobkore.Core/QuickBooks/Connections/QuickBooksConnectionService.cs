using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.OAuth;
using Jobkore.Core.Security;
using Jobkore.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.QuickBooks.Connections;

/// <summary>The current business's QuickBooks connection: what it is, which company to call, and disconnecting it.</summary>
public sealed partial class QuickBooksConnectionService(
    IDbContextFactory<JobkoreDbContext> dbFactory,
    ICurrentUser currentUser,
    IIntuitEnvironments environments,
    IntuitOAuthClient oauth,
    QboTokenProtector protector,
    ISyncRunStopper runs,
    QboAccessTokenCache accessTokens,
    TimeProvider timeProvider,
    ILogger<QuickBooksConnectionService> logger)
{
    public Task<bool> CanManageAsync() => currentUser.IsAllowedAsync(Policies.IntegrationAdmin);

    /// <summary>The connection, or null when the business has never connected (or disconnected and cleared the mappings).</summary>
    public async Task<QuickBooksConnectionView?> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = await db.QuickBooksConnections.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (connection is null)
        {
            return null;
        }

        var hasMappings = await db.SyncRecords.AnyAsync(r => r.RealmId == connection.RealmId, cancellationToken);
        return new QuickBooksConnectionView(connection.Status, connection.RealmId, connection.CompanyName,
            Enum.Parse<QuickBooksEnvironment>(connection.Environment), connection.ConnectedBy, connection.ConnectedAt, connection.LastSyncedAt, hasMappings);
    }

    /// <summary>The connected company to call, with its environment's API host.</summary>
    public async Task<QboCompany> GetCompanyAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = await db.QuickBooksConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Status != QuickBooksConnectionStatus.Disconnected, cancellationToken)
            ?? throw new QuickBooksException(new QuickBooksError(QuickBooksErrorKind.Unauthorized, 0, null, null, "QuickBooks is not connected. An admin can connect it in Settings › Integrations.", null, null));
        var endpoints = await environments.GetEndpointsAsync(connection.Environment, cancellationToken);
        return new QboCompany(connection.RealmId, endpoints.ApiBase);
    }

    /// <summary>
    /// Disconnects: forgets the tokens, so a sync run still going sends nothing more, revokes the grant at Intuit, then
    /// stops that run and waits until it has ended (it ends "not connected" without marking anything failed). With
    /// <paramref name="keepMappings"/> the links between Jobkore records and QuickBooks records stay, so reconnecting the
    /// same company links everything back; otherwise they are deleted — with the write journal — once no run can write
    /// them any more, and a later connection starts afresh (matching by name and number). Only the records of payments
    /// removed in Jobkore that QuickBooks still holds stay, so that company's next sync voids them.
    /// </summary>
    public async Task<DisconnectResult> DisconnectAsync(bool keepMappings, CancellationToken cancellationToken)
    {
        await currentUser.EnsureAllowedAsync(Policies.IntegrationAdmin, "disconnect QuickBooks");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await ForgetTokensAsync(db, cancellationToken) is not { } forgotten)
        {
            return new DisconnectResult(RevokedAtIntuit: true);
        }

        accessTokens.Forget(forgotten.BusinessId);
        var revoked = forgotten.ProtectedRefreshToken is null || await RevokeAsync(forgotten, cancellationToken);
        var stopped = await runs.StopAsync(forgotten.BusinessId, cancellationToken);
        if (!keepMappings && stopped)
        {
            // A payment removed in Jobkore that QuickBooks still holds keeps its record, as nothing else says it is there:
            // reconnecting the same company voids it (a record belongs to its realm, so another company never sees it).
            var removedPayments = SyncStatuses.RecordsOfRemovedPayments(db).Select(r => r.Id);
            await db.SyncRecords.Where(r => !removedPayments.Contains(r.Id)).ExecuteDeleteAsync(CancellationToken.None);
            await db.SyncJournal.ExecuteDeleteAsync(CancellationToken.None);
            await db.CustomerMatches.ExecuteDeleteAsync(CancellationToken.None); // the choices made for the company's customers go with the links
            await db.QuickBooksConnections.Where(c => c.Id == forgotten.Id).ExecuteDeleteAsync(CancellationToken.None);
        }

        LogDisconnected(logger, forgotten.RealmId, keepMappings || !stopped, revoked);
        return new DisconnectResult(revoked, SyncStillRunning: !keepMappings && !stopped);
    }

    /// <summary>
    /// Marks the connection disconnected, without its tokens, so nothing can use them from now on. A token refresh or a
    /// "reconnect needed" of a run going on may change the row meanwhile (it is its own concurrency token): read it again.
    /// </summary>
    private async Task<ForgottenConnection?> ForgetTokensAsync(JobkoreDbContext db, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = await db.QuickBooksConnections.SingleOrDefaultAsync(cancellationToken);
            if (connection is null)
            {
                return null;
            }

            var forgotten = new ForgottenConnection(connection.Id, connection.BusinessId, connection.RealmId, connection.Environment,
                connection.Status == QuickBooksConnectionStatus.Connected ? connection.ProtectedRefreshToken : null);
            connection.Disconnect(timeProvider.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                return forgotten;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<bool> RevokeAsync(ForgottenConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            var endpoints = await environments.GetEndpointsAsync(connection.Environment, cancellationToken);
            await oauth.RevokeAsync(endpoints, environments.Credentials, protector.Unprotect(connection.ProtectedRefreshToken!), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is IntuitOAuthException or HttpRequestException or System.Security.Cryptography.CryptographicException)
        {
            // Disconnecting must work even when Intuit cannot be reached; the tokens are forgotten here either way.
            var refused = ex as IntuitOAuthException;
            LogRevokeFailed(logger, connection.RealmId, refused?.Error ?? ex.GetType().Name, refused?.IntuitTid);
            return false;
        }
    }

    /// <summary>What disconnecting needs of the connection after its tokens are gone from it.</summary>
    private sealed record ForgottenConnection(int Id, int BusinessId, string RealmId, string Environment, string? ProtectedRefreshToken)
    {
        public override string ToString() => $"ForgottenConnection {{ Id = {Id}, RealmId = {RealmId} }}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Disconnected QuickBooks company {RealmId} (mappings kept: {KeepMappings}, revoked at Intuit: {Revoked})")]
    private static partial void LogDisconnected(ILogger logger, string realmId, bool keepMappings, bool revoked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not revoke the QuickBooks grant for company {RealmId} ({Error}, intuit_tid {IntuitTid}); the tokens are forgotten anyway")]
    private static partial void LogRevokeFailed(ILogger logger, string realmId, string error, string? intuitTid);
}

/// <summary>
/// <see cref="RevokedAtIntuit"/> is false when Intuit could not be told; the app still forgot the tokens.
/// <see cref="SyncStillRunning"/>: the links were to be cleared, but a sync run in another process had not stopped
/// within a lease's length, so they are kept for now (clear them again in a minute).
/// </summary>
public sealed record DisconnectResult(bool RevokedAtIntuit, bool SyncStillRunning = false);

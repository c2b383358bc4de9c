using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.OAuth;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.QuickBooks.Connections;

public enum QuickBooksConnectionCheckOutcome
{
    /// <summary>No connection, or an admin disconnected it in Jobkore.</summary>
    NotConnected,

    /// <summary>QuickBooks answered with the connection's tokens just now.</summary>
    StillConnected,

    /// <summary>QuickBooks refused the connection (revoked, e.g. disconnected inside QuickBooks): Reconnect needed.</summary>
    Ended,

    /// <summary>QuickBooks did not say either way (unreachable, busy, another refusal); nothing was changed.</summary>
    Unconfirmed,
}

public sealed record QuickBooksConnectionCheckResult(QuickBooksConnectionCheckOutcome Outcome, QuickBooksConnectionView? Connection);

/// <summary>
/// Asks QuickBooks whether the business's connection still works — one CompanyInfo read — for the page Intuit opens
/// after a user disconnects Jobkore inside QuickBooks (the Disconnect URL). Intuit has revoked the grant by then, so
/// the read gets a 401 and the refresh an invalid_grant, which the token store records as Reconnect needed: the page,
/// the integrations card and the sync all agree from that moment.
/// </summary>
public sealed partial class QuickBooksConnectionCheck(QuickBooksConnectionService connections, QboApiClient qbo, ILogger<QuickBooksConnectionCheck> logger)
{
    public async Task<QuickBooksConnectionCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(cancellationToken);
        switch (connection?.Status)
        {
            case null or QuickBooksConnectionStatus.Disconnected:
                return new QuickBooksConnectionCheckResult(QuickBooksConnectionCheckOutcome.NotConnected, connection);
            case QuickBooksConnectionStatus.ReconnectNeeded:
                return new QuickBooksConnectionCheckResult(QuickBooksConnectionCheckOutcome.Ended, connection);
        }

        try
        {
            await qbo.GetCompanyInfoAsync(await connections.GetCompanyAsync(cancellationToken), cancellationToken);
            return new QuickBooksConnectionCheckResult(QuickBooksConnectionCheckOutcome.StillConnected, connection);
        }
        catch (QuickBooksException ex) when (ex.Error.Kind == QuickBooksErrorKind.Unauthorized)
        {
            var now = await connections.GetAsync(CancellationToken.None);
            return now?.Status == QuickBooksConnectionStatus.ReconnectNeeded
                ? new QuickBooksConnectionCheckResult(QuickBooksConnectionCheckOutcome.Ended, now)
                : Unconfirmed(connection, ex.Error.Kind.ToString(), ex.Error.IntuitTid);
        }
        catch (QuickBooksException ex)
        {
            return Unconfirmed(connection, ex.Error.Kind.ToString(), ex.Error.IntuitTid);
        }
        catch (IntuitOAuthException ex)
        {
            return Unconfirmed(connection, ex.Error, ex.IntuitTid);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Unconfirmed(connection, ex.GetType().Name, null);
        }
    }

    private QuickBooksConnectionCheckResult Unconfirmed(QuickBooksConnectionView connection, string error, string? intuitTid)
    {
        LogUnconfirmed(logger, connection.RealmId, error, intuitTid);
        return new QuickBooksConnectionCheckResult(QuickBooksConnectionCheckOutcome.Unconfirmed, connection);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not confirm the QuickBooks connection to company {RealmId} ({Error}, intuit_tid {IntuitTid}); it is left as it was")]
    private static partial void LogUnconfirmed(ILogger logger, string realmId, string error, string? intuitTid);
}

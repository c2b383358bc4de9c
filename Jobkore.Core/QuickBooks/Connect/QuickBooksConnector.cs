using System.Security.Cryptography;
using System.Text;
using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.QuickBooks.OAuth;
using Jobkore.Core.Security;
using Jobkore.Core.Sync;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.QuickBooks.Connect;

/// <summary>
/// Connect QuickBooks, the OAuth 2.0 authorization code flow (docs/quickbooks-api.md §1): a random <c>state</c> bound to the admin and
/// business that started it, single use and short-lived; on the callback the code is exchanged, CompanyInfo read and
/// the connection stored with encrypted tokens. Refuses a company other than the one whose mappings are kept.
/// </summary>
public sealed partial class QuickBooksConnector(
    IDbContextFactory<JobkoreDbContext> dbFactory,
    ICurrentBusiness currentBusiness,
    ICurrentUser currentUser,
    IIntuitEnvironments environments,
    IOptions<QuickBooksOptions> options,
    IntuitOAuthClient oauth,
    QboApiClientFactory clients,
    QboTokenProtector protector,
    QboAccessTokenCache accessTokens,
    TimeProvider timeProvider,
    ILogger<QuickBooksConnector> logger)
{
    public const string Scope = "com.intuit.quickbooks.accounting";
    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Starts connecting: remembers a fresh state and returns Intuit's authorize URL to send the browser to.</summary>
    public async Task<Uri> StartAsync(Uri redirectUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        await currentUser.EnsureAllowedAsync(Policies.IntegrationAdmin, "connect QuickBooks");
        var environment = options.Value.RequiredEnvironment();
        var endpoints = await environments.GetEndpointsAsync(environment.ToString(), cancellationToken);

        var state = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = timeProvider.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.QuickBooksAuthorizationRequests.Where(r => r.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        db.QuickBooksAuthorizationRequests.Add(new QuickBooksAuthorizationRequest(currentBusiness.Profile.Id, Hash(state), currentUser.UserId, now, now + StateLifetime));
        await db.SaveChangesAsync(cancellationToken);

        var url = QueryHelpers.AddQueryString(endpoints.Authorize.OriginalString, new Dictionary<string, string?>
        {
            ["client_id"] = environments.Credentials.ClientId,
            ["response_type"] = "code",
            ["scope"] = Scope,
            ["redirect_uri"] = redirectUri.ToString(),
            ["state"] = state,
        });
        return new Uri(url, UriKind.RelativeOrAbsolute);
    }

    /// <summary>Finishes connecting from Intuit's redirect. Nothing is stored unless the outcome is Connected.</summary>
    public async Task<ConnectResult> CompleteAsync(QuickBooksCallback callback, Uri redirectUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(redirectUri);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stateCheck = await UseStateAsync(db, callback.State, cancellationToken);
        if (stateCheck is not null)
        {
            LogRefused(logger, stateCheck.Value);
            return new ConnectResult(stateCheck.Value);
        }

        // Checked after the state, so only the admin who started can learn anything from the callback.
        await currentUser.EnsureAllowedAsync(Policies.IntegrationAdmin, "connect QuickBooks");
        if (!string.IsNullOrEmpty(callback.Error))
        {
            LogIntuitError(logger, callback.Error);
            return callback.Error == "access_denied"
                ? new ConnectResult(ConnectOutcome.Declined)
                : new ConnectResult(ConnectOutcome.Failed, Detail: $"QuickBooks answered \"{callback.Error}\".");
        }

        if (string.IsNullOrEmpty(callback.Code) || string.IsNullOrEmpty(callback.RealmId) || !callback.RealmId.All(char.IsAsciiDigit) || callback.RealmId.Length > 50)
        {
            return new ConnectResult(ConnectOutcome.Failed, Detail: "QuickBooks did not say which company was chosen.");
        }

        var existing = await db.QuickBooksConnections.SingleOrDefaultAsync(cancellationToken);
        // The records of removed payments another company still holds link no Jobkore record: they wait for that company.
        var removedPayments = SyncStatuses.RecordsOfRemovedPayments(db).Select(r => r.Id);
        var mappedRealm = await db.SyncRecords.Where(r => r.RealmId != callback.RealmId && !removedPayments.Contains(r.Id)).Select(r => r.RealmId).FirstOrDefaultAsync(cancellationToken);
        if (mappedRealm is not null)
        {
            var mappedCompany = existing?.RealmId == mappedRealm ? existing.CompanyName : $"company {mappedRealm}";
            LogOtherCompany(logger, callback.RealmId, mappedRealm);
            return new ConnectResult(ConnectOutcome.OtherCompanyMapped, mappedCompany);
        }

        var environment = options.Value.RequiredEnvironment();
        var endpoints = await environments.GetEndpointsAsync(environment.ToString(), cancellationToken);
        QboTokenResponse tokens;
        try
        {
            tokens = await oauth.ExchangeCodeAsync(endpoints, environments.Credentials, callback.Code, redirectUri, cancellationToken);
        }
        catch (Exception ex) when (ex is IntuitOAuthException or HttpRequestException)
        {
            LogExchangeFailed(logger, callback.RealmId, ex.Message);
            return new ConnectResult(ConnectOutcome.Failed, Detail: "QuickBooks did not accept the sign-in. Please try connecting again.");
        }

        var companyName = await ReadCompanyNameAsync(new QboCompany(callback.RealmId, endpoints.ApiBase), tokens, endpoints, cancellationToken);
        if (companyName is null)
        {
            return new ConnectResult(ConnectOutcome.Failed, Detail: "QuickBooks did not let Jobkore read the company's details. Please try connecting again.");
        }

        var now = timeProvider.GetUtcNow();
        var protectedTokens = protector.Protect(tokens, now);
        if (existing is null)
        {
            db.QuickBooksConnections.Add(new QuickBooksConnection(currentBusiness.Profile.Id, callback.RealmId, companyName, environment.ToString(), currentUser.DisplayName, now, protectedTokens));
        }
        else
        {
            existing.Reconnect(callback.RealmId, companyName, environment.ToString(), currentUser.DisplayName, now, protectedTokens);
        }

        await db.SaveChangesAsync(CancellationToken.None);
        accessTokens.Forget(currentBusiness.Profile.Id);
        LogConnected(logger, callback.RealmId, environment);
        return new ConnectResult(ConnectOutcome.Connected, companyName);
    }

    /// <summary>Null when the state is good (and now used up); otherwise why not.</summary>
    private async Task<ConnectOutcome?> UseStateAsync(JobkoreDbContext db, string? state, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(state) || state.Length > 200)
        {
            return ConnectOutcome.InvalidState;
        }

        var hash = Hash(state);
        var request = await db.QuickBooksAuthorizationRequests.AsNoTracking().SingleOrDefaultAsync(r => r.StateHash == hash, cancellationToken);
        if (request is null || request.UserId != currentUser.UserId)
        {
            return ConnectOutcome.InvalidState;
        }

        // Deleting is what makes a state single use: of two callbacks racing with it, one deletes the row.
        if (await db.QuickBooksAuthorizationRequests.Where(r => r.Id == request.Id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return ConnectOutcome.InvalidState;
        }

        return request.ExpiresAt < timeProvider.GetUtcNow() ? ConnectOutcome.Expired : null;
    }

    private async Task<string?> ReadCompanyNameAsync(QboCompany company, QboTokenResponse tokens, IntuitEndpoints endpoints, CancellationToken cancellationToken)
    {
        try
        {
            var info = await clients.WithAccessToken(tokens.AccessToken).GetCompanyInfoAsync(company, cancellationToken);
            var name = info.CompanyInfo?.CompanyName;
            return string.IsNullOrWhiteSpace(name) ? $"Company {company.RealmId}" : name.Trim();
        }
        catch (Exception ex) when (ex is QuickBooksException or HttpRequestException)
        {
            LogCompanyInfoFailed(logger, company.RealmId, ex.Message);
            try
            {
                // Do not leave a grant behind that nothing here will ever use.
                await oauth.RevokeAsync(endpoints, environments.Credentials, tokens.RefreshToken, CancellationToken.None);
            }
            catch (Exception revokeError) when (revokeError is IntuitOAuthException or HttpRequestException)
            {
                LogCompanyInfoFailed(logger, company.RealmId, revokeError.Message);
            }

            return null;
        }
    }

    private static string Hash(string state) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(state)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected QuickBooks company {RealmId} ({Environment})")]
    private static partial void LogConnected(ILogger logger, string realmId, QuickBooksEnvironment environment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a QuickBooks callback: {Outcome}")]
    private static partial void LogRefused(ILogger logger, ConnectOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "QuickBooks authorization ended with error {Error}")]
    private static partial void LogIntuitError(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused to connect QuickBooks company {RealmId}: mappings of company {MappedRealmId} are kept")]
    private static partial void LogOtherCompany(ILogger logger, string realmId, string mappedRealmId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "QuickBooks refused the authorization code for company {RealmId}: {Error}")]
    private static partial void LogExchangeFailed(ILogger logger, string realmId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read CompanyInfo of QuickBooks company {RealmId}: {Error}")]
    private static partial void LogCompanyInfoFailed(ILogger logger, string realmId, string error);
}

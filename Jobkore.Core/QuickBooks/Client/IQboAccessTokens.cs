namespace Jobkore.Core.QuickBooks.Client;

/// <summary>Where the client gets a company's access token: the token store, which refreshes ahead of expiry.</summary>
public interface IQboAccessTokens
{
    /// <summary>
    /// A valid access token for the company. <paramref name="rejectedToken"/> is the token QBO just answered 401 to:
    /// the store refreshes unless another caller already replaced it.
    /// </summary>
    ValueTask<string> GetAccessTokenAsync(string realmId, string? rejectedToken, CancellationToken cancellationToken);
}

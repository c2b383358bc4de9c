using Microsoft.Extensions.Logging;

namespace Jobkore.Core.QuickBooks.Client;

/// <summary>
/// Makes <see cref="QboApiClient"/>s over the one configured HTTP pipeline (limiter and resilience handler): normally
/// with the token store, and while connecting with the access token just received, before anything is stored.
/// </summary>
public sealed class QboApiClientFactory(IHttpClientFactory httpClients, IQboAccessTokens tokens, ILoggerFactory loggers)
{
    public const string HttpClientName = "QuickBooks";

    public QboApiClient Create() => new(httpClients.CreateClient(HttpClientName), tokens, loggers.CreateLogger<QboApiClient>());

    public QboApiClient WithAccessToken(string accessToken) =>
        new(httpClients.CreateClient(HttpClientName), new FixedAccessToken(accessToken), loggers.CreateLogger<QboApiClient>());

    private sealed class FixedAccessToken(string accessToken) : IQboAccessTokens
    {
        public ValueTask<string> GetAccessTokenAsync(string realmId, string? rejectedToken, CancellationToken cancellationToken) =>
            rejectedToken == accessToken
                ? throw new Errors.QuickBooksException(new Errors.QuickBooksError(Errors.QuickBooksErrorKind.Unauthorized, 401, null, null, "QuickBooks did not accept the new access token.", null, null))
                : ValueTask.FromResult(accessToken);
    }
}

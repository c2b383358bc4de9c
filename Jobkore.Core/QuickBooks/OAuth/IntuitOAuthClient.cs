using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Jobkore.Core.QuickBooks.Models;

namespace Jobkore.Core.QuickBooks.OAuth;

/// <summary>
/// Intuit's OAuth 2.0 token and revoke endpoints (docs/quickbooks-api.md §1): HTTP Basic client authentication, a form body for
/// tokens and a JSON body for revoke, <c>Accept: application/json</c>. Errors come back as
/// <see cref="IntuitOAuthException"/>; tokens are never logged.
/// </summary>
public sealed class IntuitOAuthClient(HttpClient http)
{
    public Task<QboTokenResponse> ExchangeCodeAsync(IntuitEndpoints endpoints, IntuitAppCredentials app, string code, Uri redirectUri, CancellationToken cancellationToken) =>
        TokenAsync(endpoints, app, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri.ToString(),
        }, cancellationToken);

    public Task<QboTokenResponse> RefreshAsync(IntuitEndpoints endpoints, IntuitAppCredentials app, string refreshToken, CancellationToken cancellationToken) =>
        TokenAsync(endpoints, app, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        }, cancellationToken);

    /// <summary>Revokes the grant the token belongs to (a refresh token revokes the whole connection).</summary>
    public async Task RevokeAsync(IntuitEndpoints endpoints, IntuitAppCredentials app, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoints.Revoke) { Content = JsonContent.Create(new { token }) };
        Authorize(request, app);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken);
        }
    }

    private async Task<QboTokenResponse> TokenAsync(IntuitEndpoints endpoints, IntuitAppCredentials app, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoints.Token) { Content = new FormUrlEncodedContent(form) };
        Authorize(request, app);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<QboTokenResponse>(QboJson.Options, cancellationToken)
            ?? throw new IntuitOAuthException("server_error", "empty token response", (int)response.StatusCode, TidOf(response));
    }

    private static void Authorize(HttpRequestMessage request, IntuitAppCredentials app)
    {
        ArgumentNullException.ThrowIfNull(app);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.ClientId}:{app.ClientSecret}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    private static async Task<IntuitOAuthException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        QboOAuthError? error = null;
        try
        {
            error = body.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize<QboOAuthError>(body, QboJson.Options) : null;
        }
        catch (JsonException)
        {
            // Not the OAuth error shape; the status code is all there is to say.
        }

        return new IntuitOAuthException(error?.Error ?? (response.StatusCode == System.Net.HttpStatusCode.Unauthorized ? "invalid_client" : "server_error"),
            error?.ErrorDescription, (int)response.StatusCode, TidOf(response));
    }

    private static string? TidOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("intuit_tid", out var values) ? values.FirstOrDefault() : null;
}

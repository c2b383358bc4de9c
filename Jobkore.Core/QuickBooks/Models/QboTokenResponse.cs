using System.Text.Json.Serialization;

namespace Jobkore.Core.QuickBooks.Models;

/// <summary>Intuit's token endpoint answer (docs/quickbooks-api.md §1 "Token response JSON"; sample token-response.json).</summary>
public sealed record QboTokenResponse(
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("x_refresh_token_expires_in")] long RefreshTokenExpiresIn,
    [property: JsonPropertyName("id_token")] string? IdToken = null,
    [property: JsonPropertyName("x_refresh_token_hard_expires_in")] long? RefreshTokenHardExpiresIn = null)
{
    /// <summary>Tokens never appear in logs or pages; records print their values, so this one does not.</summary>
    public override string ToString() => $"QboTokenResponse {{ TokenType = {TokenType}, ExpiresIn = {ExpiresIn}, RefreshTokenExpiresIn = {RefreshTokenExpiresIn} }}";
}

/// <summary>An OAuth error from the token or revoke endpoint: <c>{"error":"invalid_grant","error_description":"…"}</c>, HTTP 400.</summary>
public sealed record QboOAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

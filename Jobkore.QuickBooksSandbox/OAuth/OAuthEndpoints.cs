using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Jobkore.QuickBooksSandbox.OAuth;

/// <summary>Intuit's OAuth 2.0 / OpenID endpoints as the sandbox serves them (docs/quickbooks-api.md §1), under the sandbox's base path.</summary>
internal static class OAuthEndpoints
{
    public const string AccountingScope = "com.intuit.quickbooks.accounting";

    // Discovery values, as Intuit publishes them (docs/quickbooks-api.md §1 "Endpoints").
    private static readonly string[] s_responseTypes = ["code"];
    private static readonly string[] s_subjectTypes = ["public"];
    private static readonly string[] s_signingAlgorithms = ["RS256"];
    private static readonly string[] s_scopes = ["openid", "email", "profile", "address", "phone"];
    private static readonly string[] s_authMethods = ["client_secret_post", "client_secret_basic"];
    private static readonly string[] s_claims = ["aud", "exp", "iat", "iss", "realmid", "sub"];

    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/.well-known/openid_sandbox_configuration", Discovery);
        group.MapGet("/.well-known/openid_configuration", Discovery);
        group.MapGet("/connect/oauth2", AuthorizePage);
        group.MapPost("/connect/oauth2", AuthorizeDecision).DisableAntiforgery();
        group.MapPost("/oauth2/v1/tokens/bearer", Token).DisableAntiforgery();
        group.MapPost("/v2/oauth2/tokens/revoke", Revoke).DisableAntiforgery();
        group.MapGet("/v1/openid_connect/userinfo", UserInfo);
        group.MapGet("/op/v1/jwks", (IdTokenSigner signer) => Results.Json(signer.Jwks()));
    }

    internal static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{SandboxPaths.BasePath(context)}";

    private static IResult Discovery(HttpContext context)
    {
        var root = BaseUrl(context);
        return Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = $"{root}/op/v1",
            ["authorization_endpoint"] = $"{root}/connect/oauth2",
            ["token_endpoint"] = $"{root}/oauth2/v1/tokens/bearer",
            ["userinfo_endpoint"] = $"{root}/v1/openid_connect/userinfo",
            ["revocation_endpoint"] = $"{root}/v2/oauth2/tokens/revoke",
            ["jwks_uri"] = $"{root}/op/v1/jwks",
            ["response_types_supported"] = s_responseTypes,
            ["subject_types_supported"] = s_subjectTypes,
            ["id_token_signing_alg_values_supported"] = s_signingAlgorithms,
            ["scopes_supported"] = s_scopes,
            ["token_endpoint_auth_methods_supported"] = s_authMethods,
            ["claims_supported"] = s_claims,
        });
    }

    private static async Task<IResult> AuthorizePage(HttpContext context, SandboxState state, Tenancy.SandboxAccess access, IOptions<QuickBooksSandboxOptions> options)
    {
        var q = context.Request.Query;
        var app = options.Value;
        var companies = await access.ConsentAsync(context);
        if (companies.IsRefused)
        {
            return Refused(companies, app);
        }

        if (q["client_id"] != app.ClientId)
        {
            return ErrorPage("invalid_client", "The client_id is not a registered app of this QuickBooks sandbox.");
        }

        var redirectUri = q["redirect_uri"].ToString();
        if (!IsRegisteredRedirect(context, app, redirectUri))
        {
            // Never redirect to an address the app did not register: that is how codes get stolen.
            return ErrorPage("invalid_request", $"The redirect_uri '{redirectUri}' is not registered for this app.");
        }

        var stateParam = q["state"].ToString();
        if (q["response_type"] != "code")
        {
            return Results.Redirect(WithQuery(redirectUri, ("error", "unsupported_response_type"), ("state", stateParam)));
        }

        var scope = q["scope"].ToString();
        if (!scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(AccountingScope))
        {
            return Results.Redirect(WithQuery(redirectUri, ("error", "invalid_scope"), ("state", stateParam)));
        }

        return Results.Content(AuthorizeHtml.Render(app.AppName, app.ClientId, state.User, scope, companies.Companies, redirectUri, stateParam, SandboxPaths.BasePath(context)), "text/html; charset=utf-8");
    }

    private static async Task<IResult> AuthorizeDecision(HttpContext context, SandboxState state, Tenancy.SandboxAccess access, IOptions<QuickBooksSandboxOptions> options, TimeProvider time)
    {
        var app = options.Value;
        var companies = await access.ConsentAsync(context);
        if (companies.IsRefused)
        {
            return Refused(companies, app);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var redirectUri = form["redirect_uri"].ToString();
        if (form["client_id"] != app.ClientId || !IsRegisteredRedirect(context, app, redirectUri))
        {
            return ErrorPage("invalid_request", "The sign-in request is not valid for this app.");
        }

        var stateParam = form["state"].ToString();
        if (form["decision"] != "connect")
        {
            return Results.Redirect(WithQuery(redirectUri, ("error", "access_denied"), ("state", stateParam)));
        }

        var realmId = form["realmId"].ToString();
        if (companies.Find(realmId) is null)
        {
            return ErrorPage("invalid_request", "Choose one of your companies to connect.");
        }

        var code = new AuthorizationCode(SandboxState.NewSecret(24), app.ClientId, redirectUri, realmId, form["scope"].ToString(), time.GetUtcNow() + app.AuthorizationCodeLifetime);
        lock (state.OAuthGate)
        {
            state.Codes[code.Code] = code;
        }

        return Results.Redirect(WithQuery(redirectUri, ("code", code.Code), ("state", stateParam), ("realmId", realmId)));
    }

    private static async Task<IResult> Token(HttpContext context, SandboxState state, IOptions<QuickBooksSandboxOptions> options, TimeProvider time, SandboxPersistence persistence)
    {
        var store = persistence.Store;
        var app = options.Value;
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : FormCollection.Empty;
        if (!ClientAuthenticated(context, app, form))
        {
            return OAuthError("invalid_client", "Client authentication failed", HttpStatusCode.Unauthorized);
        }

        var now = time.GetUtcNow();
        lock (state.OAuthGate)
        {
            switch (form["grant_type"].ToString())
            {
                case "authorization_code":
                    if (!state.Codes.TryGetValue(form["code"].ToString(), out var code) || code.Used || code.ExpiresAt <= now
                        || code.ClientId != app.ClientId || code.RedirectUri != form["redirect_uri"])
                    {
                        return OAuthError("invalid_grant", "Token invalid");
                    }

                    code.Used = true;
                    var idToken = code.Scope.Split(' ').Contains("openid")
                        ? context.RequestServices.GetRequiredService<IdTokenSigner>().Sign($"{BaseUrl(context)}/op/v1", app.ClientId, code.RealmId, state.User.Sub, now, (int)app.AccessTokenLifetime.TotalSeconds)
                        : null;
                    return Issue(state, app, new Grant(SandboxState.NewSecret(12), app.ClientId, code.RealmId), now, store, idToken);

                case "refresh_token":
                    if (!state.RefreshTokens.TryGetValue(form["refresh_token"].ToString(), out var refresh) || refresh.Grant.Revoked || refresh.ExpiresAt <= now
                        || (refresh.SupersededAt is { } superseded && superseded + app.RefreshTokenGracePeriod <= now))
                    {
                        return OAuthError("invalid_grant", "Token invalid");
                    }

                    refresh.SupersededAt ??= now;
                    return Issue(state, app, refresh.Grant, now, store);

                default:
                    return OAuthError("unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
            }
        }
    }

    private static IResult Issue(SandboxState state, QuickBooksSandboxOptions app, Grant grant, DateTimeOffset now, Storage.SandboxStore? store, string? idToken = null)
    {
        var access = new AccessToken(SandboxState.NewSecret(), grant, now + app.AccessTokenLifetime);
        var refresh = new RefreshToken("AB11" + SandboxState.NewSecret(), grant, now + app.RefreshTokenLifetime);
        state.AccessTokens[access.Token] = access;
        state.RefreshTokens[refresh.Token] = refresh;
        store?.SaveOAuth(state);
        var response = new Dictionary<string, object>
        {
            ["token_type"] = "bearer",
            ["access_token"] = access.Token,
            ["expires_in"] = (long)app.AccessTokenLifetime.TotalSeconds,
            ["refresh_token"] = refresh.Token,
            ["x_refresh_token_expires_in"] = (long)app.RefreshTokenLifetime.TotalSeconds,
        };

        // docs/quickbooks-api.md §1: an id_token only when the openid scope was requested.
        if (idToken is not null)
        {
            response["id_token"] = idToken;
        }

        return Results.Json(response);
    }

    private static async Task<IResult> Revoke(HttpContext context, SandboxState state, IOptions<QuickBooksSandboxOptions> options, SandboxPersistence persistence)
    {
        // RFC 7009 §2.1 sends the token form-encoded (node-quickbooks); Intuit's own SDKs send JSON.
        IFormCollection form = FormCollection.Empty;
        string? token;
        if (context.Request.HasFormContentType)
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
            token = form["token"].ToString();
        }
        else
        {
            token = (await ReadJsonAsync<RevokeRequest>(context))?.Token;
        }

        if (!ClientAuthenticated(context, options.Value, form))
        {
            return OAuthError("invalid_client", "Client authentication failed", HttpStatusCode.Unauthorized);
        }

        lock (state.OAuthGate)
        {
            var grant = !string.IsNullOrEmpty(token)
                ? state.RefreshTokens.GetValueOrDefault(token)?.Grant ?? state.AccessTokens.GetValueOrDefault(token)?.Grant
                : null;
            if (grant is null)
            {
                return OAuthError("invalid_request", "Unknown token");
            }

            // Revoking any token of a grant ends the whole connection.
            grant.Revoked = true;
            persistence.Store?.SaveOAuth(state);
        }

        return Results.Ok();
    }

    private static IResult UserInfo(HttpContext context, SandboxState state, TimeProvider time)
    {
        var bearer = context.Request.Headers.Authorization.ToString();
        lock (state.OAuthGate)
        {
            if (!bearer.StartsWith("Bearer ", StringComparison.Ordinal) || !state.AccessTokens.TryGetValue(bearer[7..], out var token)
                || token.Grant.Revoked || token.ExpiresAt <= time.GetUtcNow())
            {
                return Results.Json(new { error = "invalid_token" }, statusCode: 401);
            }
        }

        var user = state.User;
        return Results.Json(new { sub = user.Sub, email = user.Email, emailVerified = true, givenName = user.GivenName, familyName = user.FamilyName });
    }

    /// <summary>client_secret_basic (the scheme's name in any case, RFC 9110 §11.1) or, with no Authorization header, client_secret_post: both are in the discovery document.</summary>
    private static bool ClientAuthenticated(HttpContext context, QuickBooksSandboxOptions app, IFormCollection form)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return form["client_id"] == app.ClientId && form["client_secret"] == app.ClientSecret;
        }

        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            return pair == $"{app.ClientId}:{app.ClientSecret}";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsRegisteredRedirect(HttpContext context, QuickBooksSandboxOptions app, string redirectUri) =>
        app.RedirectUris.Count > 0
            ? app.RedirectUris.Any(registered => registered == redirectUri || IsSameLoopbackRedirect(registered, redirectUri))
            : redirectUri == $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/integrations/quickbooks/callback";

    /// <summary>
    /// A registered http redirect URI on a loopback IP address matches the same URI on any port of that address, as
    /// RFC 8252 §7.3 asks of authorization servers (https://www.rfc-editor.org/rfc/rfc8252#section-7.3): an app on this
    /// machine whose port is chosen when it starts, e.g. one of several processes sharing a standalone sandbox.
    /// </summary>
    private static bool IsSameLoopbackRedirect(string registered, string requested) =>
        Uri.TryCreate(registered, UriKind.Absolute, out var r) && Uri.TryCreate(requested, UriKind.Absolute, out var q)
        && r.Scheme == Uri.UriSchemeHttp && q.Scheme == Uri.UriSchemeHttp
        && (r.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6) && IPAddress.TryParse(r.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)
        && string.Equals(r.Host, q.Host, StringComparison.OrdinalIgnoreCase)
        && r.PathAndQuery == q.PathAndQuery && string.IsNullOrEmpty(q.Fragment) && string.IsNullOrEmpty(q.UserInfo);

    private static IResult OAuthError(string error, string description, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        Results.Json(new { error, error_description = description }, statusCode: (int)status);

    /// <summary>A shared sandbox's consent refused: nobody signed in to the host app (401), or not an admin of their business (403).</summary>
    private static IResult Refused(Tenancy.CompanyAccess refusal, QuickBooksSandboxOptions app) => refusal.RefusalStatus == StatusCodes.Status401Unauthorized
        ? ErrorPage("login_required", $"Sign in to {app.AppName} first: this sandbox connects the company of the business you are signed in to.", StatusCodes.Status401Unauthorized)
        : ErrorPage("access_denied", $"Only an admin of your business can connect {app.AppName} to its sandbox company.", StatusCodes.Status403Forbidden);

    private static IResult ErrorPage(string error, string message, int status = StatusCodes.Status400BadRequest) =>
        Results.Content(AuthorizeHtml.Error(error, message), "text/html; charset=utf-8", Encoding.UTF8, status);

    private static string WithQuery(string uri, params (string Key, string Value)[] parameters) =>
        uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join("&", parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

    /// <summary>The JSON body, or null when it is not JSON of that shape.</summary>
    private static async Task<T?> ReadJsonAsync<T>(HttpContext context)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, JsonSerializerOptions.Web, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record RevokeRequest(string? Token);
}

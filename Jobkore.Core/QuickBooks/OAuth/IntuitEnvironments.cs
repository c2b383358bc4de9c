using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.QuickBooks.OAuth;

/// <summary>
/// Each environment's endpoints, read from its OpenID discovery document (docs/quickbooks-api.md §1 "Endpoints") and cached for the
/// process; the Accounting API host per docs/quickbooks-api.md §2 "Hosts". The built-in sandbox is discovered where it answers
/// (<see cref="ILocalSandboxAddress"/>); when this app serves it, its authorize URL is made relative so the browser stays on
/// the address it already uses.
/// </summary>
public sealed class IntuitEnvironments(IHttpClientFactory httpClients, IOptions<QuickBooksOptions> options, IServiceProvider services) : IIntuitEnvironments
{
    public static readonly Uri ProductionDiscovery = new("https://developer.api.intuit.com/.well-known/openid_configuration");
    public static readonly Uri SandboxDiscovery = new("https://developer.api.intuit.com/.well-known/openid_sandbox_configuration");
    public static readonly Uri ProductionApi = new("https://quickbooks.api.intuit.com/");
    public static readonly Uri SandboxApi = new("https://sandbox-quickbooks.api.intuit.com/");

    private readonly ConcurrentDictionary<QuickBooksEnvironment, Lazy<Task<IntuitEndpoints>>> _cache = new();

    public IntuitAppCredentials Credentials => new(options.Value.ClientId, options.Value.ClientSecret);

    public Task<IntuitEndpoints> GetEndpointsAsync(string environment, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<QuickBooksEnvironment>(environment, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed))
        {
            throw new ArgumentException($"'{environment}' is not a QuickBooks environment; use BuiltInSandbox, IntuitSandbox or Production.", nameof(environment));
        }

        return GetEndpointsAsync(parsed, cancellationToken);
    }

    public async Task<IntuitEndpoints> GetEndpointsAsync(QuickBooksEnvironment environment, CancellationToken cancellationToken)
    {
        var lazy = _cache.GetOrAdd(environment, e => new Lazy<Task<IntuitEndpoints>>(() => DiscoverAsync(e)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            // Never cache a failed discovery: the next call tries again.
            _cache.TryRemove(new KeyValuePair<QuickBooksEnvironment, Lazy<Task<IntuitEndpoints>>>(environment, lazy));
            throw;
        }
    }

    private async Task<IntuitEndpoints> DiscoverAsync(QuickBooksEnvironment environment)
    {
        var local = environment == QuickBooksEnvironment.BuiltInSandbox ? LocalSandbox() : null;
        var (discovery, api) = environment switch
        {
            QuickBooksEnvironment.Production => (ProductionDiscovery, ProductionApi),
            QuickBooksEnvironment.IntuitSandbox => (SandboxDiscovery, SandboxApi),
            _ => (new Uri(local!.BaseUrl, ".well-known/openid_sandbox_configuration"), local.BaseUrl),
        };

        DiscoveryDocument document;
        try
        {
            document = await httpClients.CreateClient(nameof(IntuitEnvironments)).GetFromJsonAsync<DiscoveryDocument>(discovery, CancellationToken.None)
                ?? throw new IntuitOAuthException("server_error", $"{discovery} returned an empty discovery document", 0, null);
        }
        catch (HttpRequestException ex)
        {
            throw new IntuitOAuthException($"Could not read QuickBooks' sign-in settings from {discovery}: {ex.Message}", ex);
        }

        var authorize = Required(document.AuthorizationEndpoint, "authorization_endpoint", discovery);
        if (local is { ServedByThisApp: true })
        {
            authorize = new Uri(authorize.PathAndQuery, UriKind.Relative);
        }

        return new IntuitEndpoints(authorize, Required(document.TokenEndpoint, "token_endpoint", discovery),
            Required(document.RevocationEndpoint, "revocation_endpoint", discovery), Required(document.UserInfoEndpoint, "userinfo_endpoint", discovery), api);
    }

    private ILocalSandboxAddress LocalSandbox() => services.GetService<ILocalSandboxAddress>()
        ?? throw new IntuitOAuthException("QuickBooks:Environment is BuiltInSandbox but the built-in sandbox is not running in this process and QuickBooks:BuiltInSandbox:Url is not set.");

    private static Uri Required(string? value, string key, Uri discovery) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new IntuitOAuthException("server_error", $"{discovery} has no valid {key}", 0, null);

    private sealed record DiscoveryDocument(
        [property: JsonPropertyName("authorization_endpoint")] string? AuthorizationEndpoint,
        [property: JsonPropertyName("token_endpoint")] string? TokenEndpoint,
        [property: JsonPropertyName("revocation_endpoint")] string? RevocationEndpoint,
        [property: JsonPropertyName("userinfo_endpoint")] string? UserInfoEndpoint);
}

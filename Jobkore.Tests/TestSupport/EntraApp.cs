using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Jobkore.Tests.TestSupport;

/// <summary>
/// The app signing in with Microsoft Entra ID, offline: a static OpenID configuration, so no request ever goes to
/// login.microsoftonline.com (unreachable here). What the challenge sends to Microsoft can be read back.
/// </summary>
internal static class EntraApp
{
    public const string TenantId = "6c1f4a02-8d2e-4b7a-9c35-0f7e2d9a1b44";
    public const string ClientId = "3f2b9e71-54c6-4d0a-a8e1-7b9c2d4f6e10";
    public static readonly string AuthorizeEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/authorize";

    public static JobkoreAppFactory Factory(string environmentName = "Development")
    {
        var factory = new JobkoreAppFactory
        {
            EnvironmentName = environmentName,
            TestServices = services => services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
            {
                var configuration = new OpenIdConnectConfiguration
                {
                    Issuer = $"https://login.microsoftonline.com/{TenantId}/v2.0",
                    AuthorizationEndpoint = AuthorizeEndpoint,
                    TokenEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token",
                    EndSessionEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/logout",
                };
                options.Configuration = configuration;
                options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            }),
        };
        factory.Settings["AzureAd:Instance"] = "https://login.microsoftonline.com/";
        factory.Settings["AzureAd:TenantId"] = TenantId;
        factory.Settings["AzureAd:ClientId"] = ClientId;
        factory.Settings["AzureAd:ClientSecret"] = "not-a-real-secret";
        factory.Settings["AzureAd:CallbackPath"] = "/signin-oidc";
        return factory;
    }

    /// <summary>A client with its own cookies that does not follow redirects (the challenge's goes to Microsoft).</summary>
    public static HttpClient Client(this JobkoreAppFactory factory, Uri? baseAddress = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = baseAddress ?? new Uri("http://localhost") });
    }

    /// <summary>The challenge Microsoft receives: its query, and the properties Jobkore protected in its <c>state</c>.</summary>
    public static (Dictionary<string, Microsoft.Extensions.Primitives.StringValues> Query, Microsoft.AspNetCore.Authentication.AuthenticationProperties State) ReadChallenge(
        this JobkoreAppFactory factory, Uri location)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(location);
        location.GetLeftPart(UriPartial.Path).ShouldBe(AuthorizeEndpoint);
        var query = QueryHelpers.ParseQuery(location.Query);
        var options = factory.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
        var state = options.StateDataFormat.Unprotect(query["state"].ToString()).ShouldNotBeNull("the state is Jobkore's own, protected");
        return (query, state);
    }
}

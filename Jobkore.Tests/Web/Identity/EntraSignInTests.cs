using System.Net;
using System.Security.Claims;
using Jobkore.Core.Security;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Jobkore.Tests.Web.Identity;

public sealed class EntraSignInTests : IAsyncLifetime
{
    private const string TenantId = "6c1f4a02-8d2e-4b7a-9c35-0f7e2d9a1b44";
    private const string ClientId = "3f2b9e71-54c6-4d0a-a8e1-7b9c2d4f6e10";
    private static readonly string s_authorizeEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/authorize";

    private readonly JobkoreAppFactory _factory = new()
    {
        // A static OpenID configuration, so no request ever goes to login.microsoftonline.com (unreachable here).
        TestServices = services => services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
        {
            var configuration = new OpenIdConnectConfiguration
            {
                Issuer = $"https://login.microsoftonline.com/{TenantId}/v2.0",
                AuthorizationEndpoint = s_authorizeEndpoint,
                TokenEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token",
                EndSessionEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/logout",
            };
            options.Configuration = configuration;
            options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        }),
    };

    public ValueTask InitializeAsync()
    {
        _factory.Settings["AzureAd:Instance"] = "https://login.microsoftonline.com/";
        _factory.Settings["AzureAd:TenantId"] = TenantId;
        _factory.Settings["AzureAd:ClientId"] = ClientId;
        _factory.Settings["AzureAd:ClientSecret"] = "not-a-real-secret";
        _factory.Settings["AzureAd:CallbackPath"] = "/signin-oidc";
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task AnonymousRequest_WithAzureAdConfigured_IsChallengedToTheAuthoritysAuthorizeEndpoint()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/invoices", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.ToString();
        location.ShouldStartWith(s_authorizeEndpoint + "?");
        location.ShouldContain($"client_id={ClientId}");
        location.ShouldContain("redirect_uri=http%3A%2F%2Flocalhost%2Fsignin-oidc");
    }

    [Fact]
    public async Task SignInPage_WithAzureAdConfigured_OffersMicrosoftNotTheDemo()
    {
        using var client = _factory.CreateClient();

        var html = await client.GetStringAsync("/account/signin", TestContext.Current.CancellationToken);

        html.ShouldContain("Sign in with Microsoft");
        html.ShouldNotContain("Dana Rivera");
    }

    [Fact]
    public async Task IntegrationAdmin_EntraPrincipalWithAdminRole_PassesAndWithoutFails()
    {
        _factory.CreateClient().Dispose();
        var sut = _factory.Services.GetRequiredService<IAuthorizationService>();
        static ClaimsPrincipal Entra(params Claim[] roles) =>
            new(new ClaimsIdentity([new Claim("name", "Ada Admin"), new Claim("tid", TenantId), .. roles], "AuthenticationTypes.Federation", "name", "roles"));

        (await sut.AuthorizeAsync(Entra(new Claim("roles", Roles.Admin)), Policies.IntegrationAdmin)).Succeeded.ShouldBeTrue();
        (await sut.AuthorizeAsync(Entra(new Claim("roles", "Reader")), Policies.IntegrationAdmin)).Succeeded.ShouldBeFalse();
        (await sut.AuthorizeAsync(Entra(), Policies.IntegrationAdmin)).Succeeded.ShouldBeFalse();
    }
}

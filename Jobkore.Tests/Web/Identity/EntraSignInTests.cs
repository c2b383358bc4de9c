using System.Net;
using System.Security.Claims;
using Jobkore.Core.Security;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Web.Identity;

public sealed class EntraSignInTests : IAsyncDisposable
{
    private readonly JobkoreAppFactory _factory = EntraApp.Factory();

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task AnonymousRequest_WithAzureAdConfigured_IsChallengedToTheAuthoritysAuthorizeEndpoint()
    {
        using var client = _factory.Client();

        using var response = await client.GetAsync("/invoices", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.ToString();
        location.ShouldStartWith(EntraApp.AuthorizeEndpoint + "?");
        location.ShouldContain($"client_id={EntraApp.ClientId}");
        location.ShouldContain("redirect_uri=http%3A%2F%2Flocalhost%2Fsignin-oidc");
    }

    [Fact]
    public async Task SignInPage_WithAzureAdConfigured_OffersMicrosoftNotTheDemo()
    {
        using var client = _factory.Client();

        var html = await client.GetStringAsync("/account/signin", TestContext.Current.CancellationToken);

        html.ShouldContain("Sign in with Microsoft");
        html.ShouldNotContain("Dana Rivera");
    }

    /// <summary>
    /// The challenge sends the browser to Microsoft with our own /signin-oidc as redirect_uri; where it goes after
    /// signing in travels in the protected state, and only a local path survives there.
    /// </summary>
    [Theory]
    [MemberData(nameof(ReturnUrlCases.All), MemberType = typeof(ReturnUrlCases))]
    public async Task SignInWithMicrosoft_ReturnUrl_OnlyALocalPathReachesTheChallengesState(string returnUrl, string expected)
    {
        using var browser = new DemoBrowser(_factory.Client());

        using var challenge = await browser.SubmitAsync("/account/signin", "/account/signin-microsoft", new() { ["returnUrl"] = returnUrl });

        challenge.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (query, state) = _factory.ReadChallenge(challenge.Headers.Location!);
        query["redirect_uri"].ToString().ShouldBe("http://localhost/signin-oidc");
        state.RedirectUri.ShouldBe(expected);
    }

    [Fact]
    public async Task IntegrationAdmin_EntraPrincipalWithAdminRole_PassesAndWithoutFails()
    {
        _factory.CreateClient().Dispose();
        var sut = _factory.Services.GetRequiredService<IAuthorizationService>();
        static ClaimsPrincipal Entra(params Claim[] roles) =>
            new(new ClaimsIdentity([new Claim("name", "Ada Admin"), new Claim("tid", EntraApp.TenantId), .. roles], "AuthenticationTypes.Federation", "name", "roles"));

        (await sut.AuthorizeAsync(Entra(new Claim("roles", Roles.Admin)), Policies.IntegrationAdmin)).Succeeded.ShouldBeTrue();
        (await sut.AuthorizeAsync(Entra(new Claim("roles", "Reader")), Policies.IntegrationAdmin)).Succeeded.ShouldBeFalse();
        (await sut.AuthorizeAsync(Entra(), Policies.IntegrationAdmin)).Succeeded.ShouldBeFalse();
    }
}

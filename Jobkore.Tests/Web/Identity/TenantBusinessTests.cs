using System.Security.Claims;
using Jobkore.Core.Businesses;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Web.Identity;

/// <summary>What happens when Entra ID has validated a sign-in: the user's tenant picks (or creates) their business.</summary>
public sealed class TenantBusinessTests : IAsyncLifetime
{
    private readonly JobkoreAppFactory _factory = new();

    public ValueTask InitializeAsync()
    {
        _factory.CreateClient().Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private async Task<(TokenValidatedContext Context, ClaimsIdentity Identity)> ValidateAsync(params Claim[] claims)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var identity = new ClaimsIdentity(claims, "AuthenticationTypes.Federation", "name", "roles");
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var context = new TokenValidatedContext(
            http,
            new AuthenticationScheme(OpenIdConnectDefaults.AuthenticationScheme, null, typeof(OpenIdConnectHandler)),
            new OpenIdConnectOptions(),
            new ClaimsPrincipal(identity),
            new AuthenticationProperties());
        await JobkoreAuthenticationExtensions.AddTenantBusinessAsync(context);
        return (context, identity);
    }

    [Fact]
    public async Task FirstSignInOfATenant_CreatesItsBusiness_AndLaterSignInsJoinIt()
    {
        var (_, first) = await ValidateAsync(new Claim("tid", "tenant-42"), new Claim("name", "Ada"));
        var (_, second) = await ValidateAsync(new Claim("tid", "tenant-42"), new Claim("name", "Grace"));
        var (_, otherTenant) = await ValidateAsync(new Claim("tid", "tenant-43"), new Claim("name", "Linus"));

        var businessId = first.FindFirst("jobkore_business_id")!.Value;
        second.FindFirst("jobkore_business_id")!.Value.ShouldBe(businessId);
        otherTenant.FindFirst("jobkore_business_id")!.Value.ShouldNotBe(businessId);
        await using var scope = _factory.Services.CreateAsyncScope();
        var demo = scope.ServiceProvider.GetRequiredService<DefaultBusiness>().Profile.Id;
        businessId.ShouldNotBe(demo.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SignInWithoutTenant_IsRefused()
    {
        var (context, identity) = await ValidateAsync(new Claim("name", "No Tenant"));

        context.Result!.Failure!.Message.ShouldContain("no tenant id");
        identity.FindFirst("jobkore_business_id").ShouldBeNull();
    }
}

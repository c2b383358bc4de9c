using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Jobkore.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobkore.Tests.TestSupport;

/// <summary>
/// Signs a request in as the user its headers name, so authorization tests can be any user of any business.
/// Without the header the request stays anonymous and the app's own challenge (the sign-in redirect) applies.
/// </summary>
internal sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string UserHeader = "X-Test-User";
    public const string RoleHeader = "X-Test-Role";
    public const string BusinessHeader = "X-Test-Business";

    public static void AddTo(IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(SchemeName, _ => { });
        services.PostConfigure<AuthenticationOptions>(o => o.DefaultAuthenticateScheme = SchemeName);
    }

    public static void SignIn(HttpRequestMessage request, string name, bool admin, int businessId)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Add(UserHeader, name);
        request.Headers.Add(RoleHeader, admin ? Roles.Admin : "Staff");
        request.Headers.Add(BusinessHeader, businessId.ToString(CultureInfo.InvariantCulture));
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(UserHeader, out var name))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        List<Claim> claims = [new(ClaimTypes.Name, name.ToString()), new("jobkore_business_id", Request.Headers[BusinessHeader].ToString())];
        if (Request.Headers[RoleHeader] == Roles.Admin)
        {
            claims.Add(new Claim(ClaimTypes.Role, Roles.Admin));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}

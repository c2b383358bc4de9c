using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Jobkore.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobkore.Bench.Hosting;

/// <summary>
/// Signs the bench's own HTTP requests, and its browser pages' (every request of their context, the circuit's included),
/// in as the admin their headers name, so it can click Connect QuickBooks and open the app's pages.
/// </summary>
internal sealed class BenchAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string SchemeName = "Bench";
    private const string UserHeader = "X-Bench-User";
    private const string BusinessHeader = "X-Bench-Business";

    /// <summary>The claim the app reads the business from (Jobkore.Web.Identity.JobkoreClaimTypes.BusinessId).</summary>
    private const string BusinessClaim = "jobkore_business_id";

    public static void AddTo(IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, BenchAuthHandler>(SchemeName, _ => { });
        services.PostConfigure<AuthenticationOptions>(o => o.DefaultAuthenticateScheme = SchemeName);
    }

    public static void SignIn(HttpRequestMessage request, string name, int businessId)
    {
        foreach (var (header, value) in Headers(name, businessId))
        {
            request.Headers.Add(header, value);
        }
    }

    /// <summary>The headers that sign a request in as <paramref name="name"/>, an admin of <paramref name="businessId"/>.</summary>
    public static Dictionary<string, string> Headers(string name, int businessId) => new()
    {
        [UserHeader] = name,
        [BusinessHeader] = businessId.ToString(CultureInfo.InvariantCulture),
    };

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(UserHeader, out var name))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        Claim[] claims = [new(ClaimTypes.Name, name.ToString()), new(BusinessClaim, Request.Headers[BusinessHeader].ToString()), new(ClaimTypes.Role, Roles.Admin)];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}

using System.Globalization;
using System.Security.Claims;
using Jobkore.Core.Businesses;
using Jobkore.Core.Sync;

namespace Jobkore.Web.Identity;

/// <summary>Scopes for background work: the current user is the sync itself, working for one business.</summary>
internal sealed class SystemBusinessScopes(IServiceScopeFactory scopes) : IBusinessScopeFactory
{
    public const string SystemUserName = "Jobkore sync";

    public AsyncServiceScope CreateScope(BusinessProfile business)
    {
        ArgumentNullException.ThrowIfNull(business);
        var scope = scopes.CreateAsyncScope();
        Claim[] claims =
        [
            new(ClaimTypes.NameIdentifier, "system:sync"),
            new(ClaimTypes.Name, SystemUserName),
            new(JobkoreClaimTypes.BusinessId, business.Id.ToString(CultureInfo.InvariantCulture)),
        ];
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(new ClaimsPrincipal(new ClaimsIdentity(claims, "System")));
        return scope;
    }
}

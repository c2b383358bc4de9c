using System.Globalization;
using System.Security.Claims;
using Jobkore.Core.Businesses;
using Jobkore.Core.Security;
using Microsoft.AspNetCore.Authorization;

namespace Jobkore.Web.Identity;

/// <summary>
/// The signed-in user of this request or circuit, and through their business claim, the current business that
/// scopes every query. Set by <see cref="CurrentUserMiddleware"/> for HTTP requests and by
/// <see cref="UserCircuitHandler"/> for Blazor circuit activity.
/// </summary>
public sealed class CurrentUser(BusinessDirectory businesses, IAuthorizationService authorization) : ICurrentUser, ICurrentBusiness
{
    private ClaimsPrincipal _principal = new(new ClaimsIdentity());

    public ClaimsPrincipal Principal => _principal;

    public bool IsSignedIn => _principal.Identity?.IsAuthenticated == true;

    public string UserId =>
        _principal.FindFirstValue("http://schemas.microsoft.com/identity/claims/objectidentifier") ?? _principal.FindFirstValue("oid")
        ?? _principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? _principal.Identity?.Name ?? string.Empty;

    public string DisplayName => _principal.FindFirstValue(JobkoreClaimTypes.EntraName) ?? _principal.Identity?.Name ?? "Signed-in user";

    public bool IsAdmin => _principal.IsInRole(Roles.Admin);

    public string RoleLabel => IsAdmin ? "Admin" : "Staff";

    public BusinessProfile Profile
    {
        get
        {
            var claim = _principal.FindFirstValue(JobkoreClaimTypes.BusinessId);
            if (claim is null || !int.TryParse(claim, NumberStyles.None, CultureInfo.InvariantCulture, out var businessId))
            {
                throw new InvalidOperationException("There is no signed-in user with a business; business records are only read for a signed-in user.");
            }

            return businesses.Find(businessId) ?? throw new InvalidOperationException($"The signed-in user's business {businessId} no longer exists.");
        }
    }

    public async Task<bool> IsAllowedAsync(string policy) => (await authorization.AuthorizeAsync(_principal, policy)).Succeeded;

    internal void Set(ClaimsPrincipal principal) => _principal = principal;
}

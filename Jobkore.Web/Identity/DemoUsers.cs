using System.Security.Claims;
using Jobkore.Core.Businesses;
using Jobkore.Core.Security;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Jobkore.Web.Identity;

/// <summary>The two users the demo sign-in offers, both of the installation's local business.</summary>
internal static class DemoUsers
{
    public static IReadOnlyList<DemoUser> All { get; } =
    [
        new("dana", "Dana Rivera", IsAdmin: true),
        new("sam", "Sam Chen", IsAdmin: false),
    ];

    public static DemoUser? Find(string? id) => All.FirstOrDefault(u => u.Id == id);
}

internal sealed record DemoUser(string Id, string Name, bool IsAdmin)
{
    public string RoleLabel => IsAdmin ? "admin" : "staff";

    public ClaimsPrincipal ToPrincipal(BusinessProfile business)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, "demo:" + Id),
            new(ClaimTypes.Name, Name),
            new(JobkoreClaimTypes.BusinessId, business.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        if (IsAdmin)
        {
            claims.Add(new Claim(ClaimTypes.Role, Roles.Admin));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }
}

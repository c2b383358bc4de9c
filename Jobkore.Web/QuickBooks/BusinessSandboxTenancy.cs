using System.Globalization;
using System.Security.Claims;
using Jobkore.Core.Businesses;
using Jobkore.Core.Security;
using Jobkore.QuickBooksSandbox.Tenancy;
using Jobkore.Web.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Jobkore.Web.QuickBooks;

/// <summary>
/// The built-in sandbox outside Development: each Jobkore business is a tenant with a sandbox company of its own,
/// read from the signed-in user's business claim; its admins (the <see cref="Policies.IntegrationAdmin"/> policy)
/// connect and inspect it.
/// </summary>
internal sealed class BusinessSandboxTenancy : ISandboxTenancy
{
    public ValueTask<SandboxTenant?> TenantOfAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true
            || !int.TryParse(user.FindFirstValue(JobkoreClaimTypes.BusinessId), NumberStyles.None, CultureInfo.InvariantCulture, out var businessId)
            || context.RequestServices.GetRequiredService<BusinessDirectory>().Find(businessId) is not { } business)
        {
            return ValueTask.FromResult<SandboxTenant?>(null);
        }

        return ValueTask.FromResult<SandboxTenant?>(new SandboxTenant(TenantId(businessId), business.Name));
    }

    public async ValueTask<bool> IsAdminAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        return (await authorization.AuthorizeAsync(context.User, Policies.IntegrationAdmin)).Succeeded;
    }

    /// <summary>The sandbox's tenant id of a business.</summary>
    public static string TenantId(int businessId) => "business-" + businessId.ToString(CultureInfo.InvariantCulture);
}

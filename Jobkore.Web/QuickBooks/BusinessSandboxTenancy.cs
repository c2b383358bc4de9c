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

        return ValueTask.FromResult<SandboxTenant?>(new SandboxTenant(TenantId(business), business.Name));
    }

    public async ValueTask<bool> IsAdminAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        return (await authorization.AuthorizeAsync(context.User, Policies.IntegrationAdmin)).Succeeded;
    }

    /// <summary>
    /// The sandbox's tenant id of a business: its id and creation time, since the sandbox's file can outlive Jobkore's
    /// database, and a business 1 created after a reset must not inherit the books of the business 1 before it.
    /// </summary>
    public static string TenantId(BusinessProfile business)
    {
        ArgumentNullException.ThrowIfNull(business);
        return string.Create(CultureInfo.InvariantCulture, $"business-{business.Id}-{business.CreatedAt.ToUnixTimeMilliseconds()}");
    }
}

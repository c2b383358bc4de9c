namespace Jobkore.Web.Identity;

internal static class JobkoreClaimTypes
{
    /// <summary>The id of the business the user works in; added at sign-in, never taken from the identity provider.</summary>
    public const string BusinessId = "jobkore_business_id";

    /// <summary>Microsoft Entra ID's tenant id claim.</summary>
    public const string TenantId = "tid";

    /// <summary>Microsoft Entra ID's display-name claim.</summary>
    public const string EntraName = "name";
}

namespace Jobkore.QuickBooksSandbox.Tenancy;

/// <summary>
/// The host's answer to "whose sandbox is this request?", for a sandbox shared by strangers (a public demo).
/// Registered, it makes the sandbox keep one company per tenant, created on the tenant's first consent and seeded
/// like the others: the consent page offers only that company, the inspection pages show only it and only to the
/// tenant's admins, and the fault-injection controls are never mapped (one tenant must not break another's books).
/// Not registered (development, tests), the sandbox is one developer's: its seeded companies, anonymous inspection
/// and fault controls as configured.
/// </summary>
public interface ISandboxTenancy
{
    /// <summary>The tenant of the request's signed-in user; null when nobody is signed in.</summary>
    ValueTask<SandboxTenant?> TenantOfAsync(HttpContext context);

    /// <summary>
    /// Whether the request's user may connect apps to their tenant's company and inspect it: an admin, as at Intuit,
    /// where only a company's admins connect apps.
    /// </summary>
    ValueTask<bool> IsAdminAsync(HttpContext context);
}

/// <summary>One tenant of a shared sandbox: a stable <paramref name="Id"/> and the name its company gets when created.</summary>
public sealed record SandboxTenant(string Id, string CompanyName);

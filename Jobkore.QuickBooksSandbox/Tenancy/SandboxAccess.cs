using System.Security.Cryptography;

namespace Jobkore.QuickBooksSandbox.Tenancy;

/// <summary>
/// Which companies a request may connect or inspect: every seeded company in a developer's sandbox; in a sandbox
/// shared by tenants (an <see cref="ISandboxTenancy"/> is registered), only its admin's tenant's own company.
/// </summary>
internal sealed class SandboxAccess(SandboxState state, SandboxPersistence persistence, TimeProvider time, ISandboxTenancy? tenancy)
{
    private const string RealmPrefix = "9341";
    private readonly Lock _provisioning = new();

    /// <summary>True when tenants share this sandbox, each with a company of its own.</summary>
    public bool IsShared => tenancy is not null;

    /// <summary>The companies the consent page offers; a tenant's company is created and seeded on its first consent.</summary>
    public async ValueTask<CompanyAccess> ConsentAsync(HttpContext context)
    {
        if (tenancy is null)
        {
            return new CompanyAccess([.. state.Companies.Values.OrderBy(c => c.RealmId, StringComparer.Ordinal)]);
        }

        var (tenant, refusal) = await AdminTenantAsync(context, tenancy);
        return tenant is null ? CompanyAccess.Refused(refusal) : new CompanyAccess([CompanyOf(tenant)]);
    }

    /// <summary>The companies the inspection pages show; a tenant that never consented has none yet.</summary>
    public async ValueTask<CompanyAccess> InspectAsync(HttpContext context)
    {
        if (tenancy is null)
        {
            return new CompanyAccess([.. state.Companies.Values.OrderBy(c => c.RealmId, StringComparer.Ordinal)]);
        }

        var (tenant, refusal) = await AdminTenantAsync(context, tenancy);
        return tenant is null ? CompanyAccess.Refused(refusal)
            : new CompanyAccess(state.CompaniesByTenant.TryGetValue(tenant.Id, out var company) ? [company] : []);
    }

    private static async ValueTask<(SandboxTenant? Tenant, int Refusal)> AdminTenantAsync(HttpContext context, ISandboxTenancy tenancy)
    {
        var tenant = await tenancy.TenantOfAsync(context);
        if (tenant is null)
        {
            return (null, StatusCodes.Status401Unauthorized);
        }

        return await tenancy.IsAdminAsync(context) ? (tenant, 0) : (null, StatusCodes.Status403Forbidden);
    }

    private SandboxCompany CompanyOf(SandboxTenant tenant)
    {
        if (state.CompaniesByTenant.TryGetValue(tenant.Id, out var existing))
        {
            return existing;
        }

        lock (_provisioning)
        {
            if (state.CompaniesByTenant.TryGetValue(tenant.Id, out existing))
            {
                return existing;
            }

            var company = Seed.SandboxSeed.TenantCompany(NewRealmId(), tenant, time.GetUtcNow());
            persistence.Store?.SaveNew(company);
            state.Companies[company.RealmId] = company;
            state.CompaniesByTenant[tenant.Id] = company;
            return company;
        }
    }

    /// <summary>A 16-digit realm id like Intuit's, unused here and never one of the seeded companies'.</summary>
    private string NewRealmId()
    {
        string realmId;
        do
        {
            realmId = RealmPrefix + RandomNumberGenerator.GetString("0123456789", 12);
        }
        while (state.Companies.ContainsKey(realmId) || Seed.SandboxSeed.IsSeededRealm(realmId));

        return realmId;
    }
}

/// <summary>The companies one request may use, or the status that refuses it (401: nobody signed in; 403: not an admin).</summary>
internal sealed record CompanyAccess(IReadOnlyList<SandboxCompany> Companies, int RefusalStatus = 0)
{
    public bool IsRefused => RefusalStatus != 0;

    public static CompanyAccess Refused(int status) => new([], status);

    public SandboxCompany? Find(string realmId) => Companies.FirstOrDefault(c => c.RealmId == realmId);
}

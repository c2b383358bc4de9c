using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>In a sandbox shared by tenants, changes as a QuickBooks user follow the inspection pages' rule: the tenant's admin, its own company only.</summary>
public sealed class SandboxUserChangeAccessTests(TenantSandboxHost sandbox) : IClassFixture<TenantSandboxHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpStatusCode> DeactivateAsync(HttpClient client, string realm, string customerId)
    {
        using var response = await client.PostAsync($"{SandboxHost.BasePath}/_sandbox/companies/{realm}/user/customer/{customerId}/delete", JsonContent.Create(new { }), Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task UserChange_OnlyTheTenantsAdminChangesItsOwnCompany_OthersAreRefusedOrFindNothing()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N")[..8];
        using var admin = sandbox.As(tenant);
        using var staff = sandbox.As(tenant, admin: false);
        using var anonymous = sandbox.As(null);
        using var stranger = sandbox.As("t" + Guid.NewGuid().ToString("N")[..8]);
        var realm = (await sandbox.OfferedRealmsAsync(admin)).Single();
        await sandbox.OfferedRealmsAsync(stranger);
        var (access, _) = await sandbox.ConnectAsync(realm, admin);
        var customerId = (await sandbox.WriteAsync(access, realm, "customer", new { DisplayName = "Shared " + tenant })).Body["Customer"]!["Id"]!.GetValue<string>();

        var statuses = new[] { await DeactivateAsync(anonymous, realm, customerId), await DeactivateAsync(staff, realm, customerId), await DeactivateAsync(stranger, realm, customerId) };
        var read = (await sandbox.ApiAsync(access, HttpMethod.Get, realm, $"customer/{customerId}")).Body["Customer"]!;
        var own = await DeactivateAsync(admin, realm, customerId);

        statuses.ShouldBe([HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound]);
        read["Active"]!.GetValue<bool>().ShouldBeTrue();
        own.ShouldBe(HttpStatusCode.OK);
        (await sandbox.ApiAsync(access, HttpMethod.Get, realm, $"customer/{customerId}")).Body["Customer"]!["Active"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task WebhookState_SpansEveryTenant_SoASharedSandboxDoesNotServeIt()
    {
        using var admin = sandbox.As("t" + Guid.NewGuid().ToString("N")[..8]);

        using var response = await admin.GetAsync($"{SandboxHost.BasePath}/_sandbox/webhooks", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["Fault"].ShouldNotBeNull();
    }
}

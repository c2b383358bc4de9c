using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox;
using Jobkore.QuickBooksSandbox.Tenancy;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>
/// A sandbox shared by tenants, as a host registers it for a public demo: the tenant and whether the user is its admin
/// come from request headers (<see cref="HeaderTenancy"/>). Its fault controls are configured on, to show they stay off;
/// with a <see cref="DatabasePath"/> it is kept in that SQLite file.
/// </summary>
public sealed class TenantSandboxHost : SandboxHost
{
    /// <summary>A SQLite file to keep the sandbox in; null keeps it in memory.</summary>
    public string? DatabasePath { get; init; }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("QuickBooks:FaultInjectionEndpoints", "true"), new("QuickBooks:DatabasePath", DatabasePath)];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ISandboxTenancy, HeaderTenancy>();

    /// <summary>A client whose every request is signed in as a user of <paramref name="tenant"/>, or anonymous when null.</summary>
    public HttpClient As(string? tenant, bool admin = true)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Http.BaseAddress };
        if (tenant is not null)
        {
            client.DefaultRequestHeaders.Add(HeaderTenancy.TenantHeader, tenant);
            client.DefaultRequestHeaders.Add(HeaderTenancy.AdminHeader, admin ? "true" : "false");
        }

        return client;
    }

    /// <summary>The realm ids the consent page offers <paramref name="client"/>'s tenant.</summary>
    public async Task<string[]> OfferedRealmsAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return [.. QuickBooksApp.OfferedRealms(await client.GetStringAsync(AuthorizeUrl(), TestContext.Current.CancellationToken))];
    }
}

/// <summary>The host's side of a shared sandbox, as a test double: the tenant is the X-Tenant header, an admin says X-Tenant-Admin: true.</summary>
internal sealed class HeaderTenancy : ISandboxTenancy
{
    public const string TenantHeader = "X-Tenant";
    public const string AdminHeader = "X-Tenant-Admin";

    public ValueTask<SandboxTenant?> TenantOfAsync(HttpContext context) =>
        ValueTask.FromResult(context.Request.Headers[TenantHeader].ToString() is { Length: > 0 } tenant ? new SandboxTenant(tenant, $"{tenant} Plumbing") : null);

    public ValueTask<bool> IsAdminAsync(HttpContext context) => ValueTask.FromResult(context.Request.Headers[AdminHeader] == "true");
}

/// <summary>A company per tenant in a shared sandbox: consent, tokens, inspection and fault controls.</summary>
public sealed class SandboxTenancyTests(TenantSandboxHost sandbox) : IClassFixture<TenantSandboxHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewTenant() => "t" + Guid.NewGuid().ToString("N")[..8];

    private SandboxState State => sandbox.Services.GetRequiredService<SandboxState>();

    [Fact]
    public async Task AuthorizePage_TenantsAdmin_OffersOnlyTheTenantsOwnNewCompany()
    {
        var tenant = NewTenant();
        using var client = sandbox.As(tenant);

        var html = await client.GetStringAsync(sandbox.AuthorizeUrl(), Ct);

        var realm = (await sandbox.OfferedRealmsAsync(client)).ShouldHaveSingleItem();
        realm.ShouldMatch("^9341[0-9]{12}$");
        realm.ShouldNotBeOneOf(SandboxHost.AcmeRealm, SandboxHost.SecondRealm);
        html.ShouldContain($"> {tenant} Plumbing</label>");
        html.ShouldNotContain("Acme Plumbing &amp; Heating LLC");
        html.ShouldNotContain("Sandbox Company US 2");
    }

    [Fact]
    public async Task AuthorizePage_TwoTenants_GetTwoCompanies_EachTheSameOnEveryVisit()
    {
        using var first = sandbox.As(NewTenant());
        using var second = sandbox.As(NewTenant());

        var firstRealm = (await sandbox.OfferedRealmsAsync(first)).ShouldHaveSingleItem();
        var secondRealm = (await sandbox.OfferedRealmsAsync(second)).ShouldHaveSingleItem();

        secondRealm.ShouldNotBe(firstRealm);
        (await sandbox.OfferedRealmsAsync(first)).ShouldBe([firstRealm]);
    }

    [Fact]
    public async Task AuthorizePage_NobodySignedIn_Is401AndCreatesNoCompany()
    {
        using var anonymous = sandbox.As(null);
        var before = State.Companies.Count;

        using var response = await anonymous.GetAsync(sandbox.AuthorizeUrl(), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("Sign in to Jobkore first");
        State.Companies.Count.ShouldBe(before);
    }

    [Fact]
    public async Task AuthorizePage_UserWhoIsNotAnAdmin_Is403AndCreatesNoCompany()
    {
        var tenant = NewTenant();
        using var staff = sandbox.As(tenant, admin: false);

        using var response = await staff.GetAsync(sandbox.AuthorizeUrl(), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        State.CompaniesByTenant.ContainsKey(tenant).ShouldBeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData(false)]
    public async Task Connect_NobodySignedInOrNotAnAdmin_IsRefusedWithoutACode(bool? admin)
    {
        using var owner = sandbox.As(NewTenant());
        var realm = (await sandbox.OfferedRealmsAsync(owner)).Single();
        using var client = sandbox.As(admin is null ? null : NewTenant(), admin ?? false);

        using var response = await client.PostAsync($"{SandboxHost.BasePath}/connect/oauth2", ConsentForm(realm), Ct);

        response.StatusCode.ShouldBe(admin is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
        response.Headers.Location.ShouldBeNull();
    }

    [Fact]
    public async Task Connect_AnotherTenantsRealmOrASeededOne_IsAnErrorPageNotACode()
    {
        using var owner = sandbox.As(NewTenant());
        var othersRealm = (await sandbox.OfferedRealmsAsync(owner)).Single();
        using var intruder = sandbox.As(NewTenant());

        foreach (var realm in new[] { othersRealm, SandboxHost.AcmeRealm, SandboxHost.SecondRealm })
        {
            using var response = await intruder.PostAsync($"{SandboxHost.BasePath}/connect/oauth2", ConsentForm(realm), Ct);

            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, realm);
            response.Headers.Location.ShouldBeNull();
            (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("Choose one of your companies to connect.");
        }
    }

    [Fact]
    public async Task Tokens_OfATenantsCompany_WorkOnlyForThatCompany()
    {
        using var tenants = await TwoTenantsAsync();
        var (_, _, firstRealm, secondRealm, access) = tenants;

        var own = await sandbox.ApiAsync(access, HttpMethod.Get, firstRealm, $"companyinfo/{firstRealm}");
        var other = await sandbox.ApiAsync(access, HttpMethod.Get, secondRealm, $"companyinfo/{secondRealm}");

        own.Status.ShouldBe(HttpStatusCode.OK);
        other.Status.ShouldBe(HttpStatusCode.Forbidden);
        other.Body["fault"]!["error"]![0]!["code"]!.GetValue<string>().ShouldBe("3100");
    }

    [Fact]
    public async Task TenantsCompany_IsSeededLikeTheOthers()
    {
        var tenant = NewTenant();
        using var client = sandbox.As(tenant);
        var realm = (await sandbox.OfferedRealmsAsync(client)).Single();
        var (access, _) = await sandbox.ConnectAsync(realm, client);

        async Task<List<string>> NamesAsync(string entity, string field)
        {
            var (_, body, _) = await sandbox.ApiAsync(access, HttpMethod.Get, realm, $"query?query={Uri.EscapeDataString($"select * from {entity}")}");
            return [.. body["QueryResponse"]![entity]!.AsArray().Select(r => r![field]!.GetValue<string>())];
        }

        (await NamesAsync("Account", "Name")).ShouldBe(
            ["Checking", "Savings", "Undeposited Funds", "Accounts Receivable (A/R)", "Services", "Sales of Product Income", "Discounts given"], ignoreOrder: true);
        (await NamesAsync("PaymentMethod", "Name")).ShouldBe(["Cash", "Check", "Credit Card", "Bank Transfer", "Other"], ignoreOrder: true);
        (await NamesAsync("Customer", "DisplayName")).ShouldBe(["Maria O'Brien", "Amy's Bird Sanctuary", "Cool Cars"], ignoreOrder: true);
        (await NamesAsync("Vendor", "DisplayName")).ShouldBe(["Bob's Burgers"]);
        (await NamesAsync("Item", "Name")).ShouldBe(["Hours"]);
        var info = await sandbox.ApiAsync(access, HttpMethod.Get, realm, $"companyinfo/{realm}");
        info.Body["CompanyInfo"]!["CompanyName"]!.GetValue<string>().ShouldBe($"{tenant} Plumbing");
    }

    [Theory]
    [InlineData("")]
    [InlineData("/{realm}")]
    [InlineData("/{realm}/view")]
    [InlineData("/{realm}/invoices/1")]
    public async Task Inspection_NobodySignedInOrNotAnAdmin_Is401Or403WithTheSandboxsOwnBody(string page)
    {
        using var owner = sandbox.As(NewTenant());
        var path = $"{SandboxHost.BasePath}/_sandbox/companies{page.Replace("{realm}", (await sandbox.OfferedRealmsAsync(owner)).Single(), StringComparison.Ordinal)}";
        using var anonymous = sandbox.As(null);
        using var staff = sandbox.As(NewTenant(), admin: false);

        using var signIn = await anonymous.GetAsync(path, Ct);
        using var refused = await staff.GetAsync(path, Ct);

        signIn.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await signIn.Content.ReadAsStringAsync(Ct)).ShouldContain("Sign in to the app as an admin of your business");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("Only an admin of your business can inspect");
    }

    [Fact]
    public async Task Inspection_TenantsAdmin_SeesOnlyTheirCompany_AnotherTenantsIsNotFound()
    {
        using var tenants = await TwoTenantsAsync();
        var (first, second, firstRealm, secondRealm, access) = tenants;
        await sandbox.WriteAsync(access, firstRealm, "customer", new { DisplayName = "Only In The First" });

        var list = await first.GetFromJsonAsync<JsonArray>($"{SandboxHost.BasePath}/_sandbox/companies", Ct);
        var snapshot = await first.GetStringAsync($"{SandboxHost.BasePath}/_sandbox/companies/{firstRealm}", Ct);
        var view = await first.GetStringAsync($"{SandboxHost.BasePath}/_sandbox/companies/{firstRealm}/view", Ct);

        list!.Select(c => c!["realmId"]!.GetValue<string>()).ShouldBe([firstRealm]);
        snapshot.ShouldContain("Only In The First");
        view.ShouldContain("Only In The First");
        foreach (var path in new[] { secondRealm, $"{secondRealm}/view", $"{secondRealm}/invoices/1", SandboxHost.AcmeRealm, $"{SandboxHost.AcmeRealm}/view" })
        {
            using var response = await first.GetAsync($"{SandboxHost.BasePath}/_sandbox/companies/{path}", Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            (await response.Content.ReadAsStringAsync(Ct)).ShouldNotContain("Plumbing");
        }

        using var secondsView = await second.GetAsync($"{SandboxHost.BasePath}/_sandbox/companies/{firstRealm}", Ct);
        secondsView.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Inspection_TenantThatNeverConsented_ListsNoCompany()
    {
        using var admin = sandbox.As(NewTenant());

        var list = await admin.GetFromJsonAsync<JsonArray>($"{SandboxHost.BasePath}/_sandbox/companies", Ct);

        list.ShouldNotBeNull().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("POST", "/_sandbox/faults")]
    [InlineData("DELETE", "/_sandbox/faults")]
    [InlineData("POST", "/_sandbox/tokens/expire")]
    [InlineData("POST", "/_sandbox/tokens/revoke")]
    public async Task FaultControls_ConfiguredOn_AreNeverServedToAnyone(string method, string path)
    {
        using var admin = sandbox.As(NewTenant());
        using var request = new HttpRequestMessage(new HttpMethod(method), SandboxHost.BasePath + path) { Content = JsonContent.Create(new { realmId = (string?)null }) };

        using var response = await admin.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public void Start_SharedByTenants_SeedsNoDemoCompanies()
    {
        State.Companies.Keys.ShouldNotContain(SandboxHost.AcmeRealm);
        State.Companies.Keys.ShouldNotContain(SandboxHost.SecondRealm);
    }

    /// <summary>Two tenants' admins with their companies; the first one connected, with its access token.</summary>
    private async Task<TwoTenants> TwoTenantsAsync()
    {
        var first = sandbox.As(NewTenant());
        var second = sandbox.As(NewTenant());
        var firstRealm = (await sandbox.OfferedRealmsAsync(first)).Single();
        var secondRealm = (await sandbox.OfferedRealmsAsync(second)).Single();
        var (access, _) = await sandbox.ConnectAsync(firstRealm, first);
        return new TwoTenants(first, second, firstRealm, secondRealm, access);
    }

    private sealed record TwoTenants(HttpClient First, HttpClient Second, string FirstRealm, string SecondRealm, string FirstAccess) : IDisposable
    {
        public void Dispose()
        {
            First.Dispose();
            Second.Dispose();
        }
    }

    private FormUrlEncodedContent ConsentForm(string realmId) => new(new Dictionary<string, string>
    {
        ["client_id"] = SandboxHost.ClientId, ["redirect_uri"] = sandbox.RedirectUri, ["state"] = "s-t",
        ["scope"] = "com.intuit.quickbooks.accounting", ["realmId"] = realmId, ["decision"] = "connect",
    });
}

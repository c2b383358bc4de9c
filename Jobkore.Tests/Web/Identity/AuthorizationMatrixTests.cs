using System.Net;
using System.Text;
using Jobkore.Core.Businesses;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Web.Identity;

/// <summary>
/// Every page and endpoint × anonymous, staff, admin and an admin of another business. Records 1 belong to the
/// demo business; the other business has none of its own. Every route of the built-in QuickBooks sandbox, twice:
/// in Development (one developer's sandbox, shared on purpose) and in Production with AllowInProduction (a company
/// per business; fault controls configured on, to show they stay off).
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    private readonly JobkoreAppFactory _factory = new() { TestServices = TestAuthHandler.AddTo };
    private readonly JobkoreAppFactory _production = new() { EnvironmentName = "Production", TestServices = TestAuthHandler.AddTo };
    private Businesses _businesses = default!;
    private Businesses _productionBusinesses = default!;
    private SandboxBooks _developmentBooks = default!;
    private SandboxBooks _productionBooks = default!;

    public enum Outcome
    {
        SignIn,
        Allowed,
        ReadOnly,
        NotFound,
        Refused,
        Unauthorized,
        LeaksAnotherBusinessesRecords,
    }

    private static readonly string[] s_demoRecordMarkers = ["INV-1060", "INV-1045", "Maria O", "Drain cleaning", "Acme Plumbing"];

    // OfDemoBusiness: signed in to the demo business (true) or to the other one (false); null: anonymous.
    private sealed record User(string Name, string Label, bool Admin, bool? OfDemoBusiness);

    /// <summary>The two businesses' ids in one app's database.</summary>
    private sealed record Businesses(int Demo, int Other);

    private static readonly User s_anonymous = new("-", "anonymous", false, null);
    private static readonly User s_staff = new("Sam Chen", "staff", false, true);
    private static readonly User s_admin = new("Dana Rivera", "admin", true, true);
    private static readonly User s_otherAdmin = new("Olga Other", "admin of another business", true, false);
    private static readonly User[] s_users = [s_anonymous, s_staff, s_admin, s_otherAdmin];

    // (method, path) → expected outcome for anonymous, staff, admin, admin of another business.
    private static readonly (string Method, string Path, Outcome[] Expected)[] s_matrix =
    [
        ("GET", "/", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/invoices", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/invoices?sync=failed", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/invoices/new", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/invoices/1", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.NotFound]),
        ("GET", "/invoices/1/edit", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.NotFound]),
        ("GET", "/clients", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/clients/new", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/clients/1/edit", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.NotFound]),
        ("GET", "/catalog", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/payments", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/settings/business", [Outcome.SignIn, Outcome.ReadOnly, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/settings/integrations", [Outcome.SignIn, Outcome.ReadOnly, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/settings/integrations/quickbooks", [Outcome.SignIn, Outcome.ReadOnly, Outcome.Allowed, Outcome.Allowed]),
        // Needs attention: what anyone of the business can retry or choose on the lists, in one place.
        ("GET", "/settings/integrations/quickbooks/attention", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        // Customer matches: anyone signed in sees them; only an admin links, creates or keeps a client out.
        ("GET", "/settings/integrations/quickbooks/customers", [Outcome.SignIn, Outcome.ReadOnly, Outcome.Allowed, Outcome.Allowed]),
        // Connect starts for admins only; a callback without a state this user started is refused for everyone.
        ("GET", "/integrations/quickbooks/connect", [Outcome.SignIn, Outcome.Refused, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/integrations/quickbooks/callback?code=c&state=forged&realmId=9341452713218474", [Outcome.SignIn, Outcome.Refused, Outcome.Refused, Outcome.Refused]),
        // The Launch and Disconnect URLs registered with Intuit: for whoever is signed in, each about their own business.
        ("GET", "/integrations/quickbooks/launch", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        // Intuit's webhook deliveries: anonymous by design, taken in only when signed with the verifier token (none here).
        ("POST", "/integrations/quickbooks/webhooks", [Outcome.Unauthorized, Outcome.Unauthorized, Outcome.Unauthorized, Outcome.Unauthorized]),
        ("GET", "/integrations/quickbooks/disconnected", [Outcome.SignIn, Outcome.ReadOnly, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/account/signin", [Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/account/access-denied", [Outcome.SignIn, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        // Health probes come from the platform, without a sign-in, and say nothing about any business.
        ("GET", "/health/live", [Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/health/ready", [Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        // The error and not-found pages any request may end on.
        ("GET", "/error", [Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        ("GET", "/not-found", [Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed]),
        ("POST", "/account/demo-signin", [Outcome.Refused, Outcome.Refused, Outcome.Refused, Outcome.Refused]),
        ("POST", "/account/signin-microsoft", [Outcome.Refused, Outcome.Refused, Outcome.Refused, Outcome.Refused]),
        ("POST", "/account/signout", [Outcome.SignIn, Outcome.Refused, Outcome.Refused, Outcome.Refused]),
    ];

    private static readonly Outcome[] s_everyone = [Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed];
    private static readonly Outcome[] s_unauthorized = [Outcome.Unauthorized, Outcome.Unauthorized, Outcome.Unauthorized, Outcome.Unauthorized];
    private static readonly Outcome[] s_notFound = [Outcome.NotFound, Outcome.NotFound, Outcome.NotFound, Outcome.NotFound];
    private static readonly Outcome[] s_ownCompanyOnly = [Outcome.Unauthorized, Outcome.Refused, Outcome.Allowed, Outcome.NotFound];
    private static readonly Outcome[] s_missingRecord = [Outcome.Refused, Outcome.Refused, Outcome.Refused, Outcome.Refused];
    private static readonly Outcome[] s_missingOwnRecord = [Outcome.Unauthorized, Outcome.Refused, Outcome.Refused, Outcome.NotFound];

    // Sandbox route → expected outcome in Development, then in Production with AllowInProduction. Every request comes
    // without sandbox credentials: Intuit's endpoints answer those 401 in Intuit's JSON, whoever is signed in to Jobkore.
    private static readonly (SandboxRoute Route, Outcome[] Development, Outcome[] Production)[] s_sandboxMatrix =
    [
        // Published to everyone at Intuit (the app reads them server to server, with no session): endpoints and keys, no data.
        (SandboxRoutes.Discovery, s_everyone, s_everyone),
        (SandboxRoutes.ProductionDiscovery, s_everyone, s_everyone),
        (SandboxRoutes.Jwks, s_everyone, s_everyone),
        // Consent: anyone in Development; outside it the business's admin, offered only the business's own company.
        (SandboxRoutes.AuthorizePage, s_everyone, [Outcome.Unauthorized, Outcome.Refused, Outcome.Allowed, Outcome.Allowed]),
        (SandboxRoutes.AuthorizeDecision, s_everyone, [Outcome.Unauthorized, Outcome.Refused, Outcome.Allowed, Outcome.Refused]),
        (SandboxRoutes.Token, s_unauthorized, s_unauthorized),
        (SandboxRoutes.Revoke, s_unauthorized, s_unauthorized),
        (SandboxRoutes.UserInfo, s_unauthorized, s_unauthorized),
        (SandboxRoutes.Read, s_unauthorized, s_unauthorized),
        (SandboxRoutes.CompanyInfo, s_unauthorized, s_unauthorized),
        (SandboxRoutes.Preferences, s_unauthorized, s_unauthorized),
        (SandboxRoutes.Query, s_unauthorized, s_unauthorized),
        (SandboxRoutes.QueryPost, s_unauthorized, s_unauthorized),
        (SandboxRoutes.Write, s_unauthorized, s_unauthorized),
        (SandboxRoutes.Batch, s_unauthorized, s_unauthorized),
        (SandboxRoutes.Cdc, s_unauthorized, s_unauthorized),
        // Inspection: anonymous in Development; outside it the business's admin, and only the business's own company.
        (SandboxRoutes.Companies, s_everyone, [Outcome.Unauthorized, Outcome.Refused, Outcome.Allowed, Outcome.Allowed]),
        (SandboxRoutes.Company, s_everyone, s_ownCompanyOnly),
        (SandboxRoutes.CompanyPage, s_everyone, s_ownCompanyOnly),
        (SandboxRoutes.InvoicePage, s_everyone, s_ownCompanyOnly),
        (SandboxRoutes.SeededCompany, s_everyone, [Outcome.Unauthorized, Outcome.Refused, Outcome.NotFound, Outcome.NotFound]),
        (SandboxRoutes.InspectionScript, s_everyone, s_everyone),
        // Webhook deliveries span every company: never served when tenants share the sandbox.
        (SandboxRoutes.Webhooks, s_everyone, s_notFound),
        // Changes as a QuickBooks user: whoever may inspect the company (the records asked for, or referred to, do not exist: 400, code 610).
        (SandboxRoutes.UserCreate, s_missingRecord, s_missingOwnRecord),
        (SandboxRoutes.UserPreferences, s_missingRecord, s_missingOwnRecord), // a setting that cannot be switched: 400
        (SandboxRoutes.UserUpdate, s_missingRecord, s_missingOwnRecord),
        (SandboxRoutes.UserDelete, s_missingRecord, s_missingOwnRecord),
        (SandboxRoutes.UserVoid, s_missingRecord, s_missingOwnRecord),
        (SandboxRoutes.UserMerge, s_missingRecord, s_missingOwnRecord),
        (SandboxRoutes.UserInactive, s_missingRecord, s_missingOwnRecord),
        // Fault controls: only when configured on, and never outside Development; any path the sandbox does not serve is its own JSON 404.
        (SandboxRoutes.SetFaults, s_notFound, s_notFound),
        (SandboxRoutes.ClearFaults, s_notFound, s_notFound),
        (SandboxRoutes.ExpireTokens, s_notFound, s_notFound),
        (SandboxRoutes.RevokeTokens, s_notFound, s_notFound),
    ];

    // In Production nobody ever sees the seeded demo companies; the admin of another business never sees the demo business's.
    private static readonly string[] s_seededCompanyMarkers = ["9341452713218474", "9341452713218475", "Sandbox Company US 2", "Acme Plumbing &amp; Heating LLC", "Acme Plumbing & Heating LLC"];

    public async ValueTask InitializeAsync()
    {
        _businesses = await StartAsync(_factory); // migrations and demo data
        using var anonymous = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        _developmentBooks = await SandboxBooks.WriteAsync(anonymous, SandboxRoutes.SeededRealm);

        _production.Settings["Authentication:DemoSignIn"] = "true";
        _production.Settings["QuickBooks:Environment"] = "BuiltInSandbox";
        _production.Settings["QuickBooks:BuiltInSandbox:AllowInProduction"] = "true";
        _production.Settings["QuickBooks:FaultInjectionEndpoints"] = "true";
        _productionBusinesses = await StartAsync(_production);
        using var admin = SignedInClient(_production, s_admin, _productionBusinesses);
        _productionBooks = await SandboxBooks.WriteAsync(admin);
    }

    private static async Task<Businesses> StartAsync(JobkoreAppFactory app)
    {
        app.CreateClient().Dispose();
        await using var scope = app.Services.CreateAsyncScope();
        var other = await scope.ServiceProvider.GetRequiredService<BusinessDirectory>()
            .FindOrCreateForTenantAsync("other-tenant", "Other Plumbing", "USD", "America/New_York", CancellationToken.None);
        return new Businesses(scope.ServiceProvider.GetRequiredService<DefaultBusiness>().Profile.Id, other.Id);
    }

    private static HttpClient SignedInClient(JobkoreAppFactory app, User user, Businesses businesses)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(TestAuthHandler.UserHeader, user.Name);
        client.DefaultRequestHeaders.Add(TestAuthHandler.RoleHeader, user.Admin ? Jobkore.Core.Security.Roles.Admin : "Staff");
        client.DefaultRequestHeaders.Add(TestAuthHandler.BusinessHeader, BusinessOf(user, businesses).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return client;
    }

    private static int BusinessOf(User user, Businesses businesses) => user.OfDemoBusiness == true ? businesses.Demo : businesses.Other;

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _production.DisposeAsync();
    }

    [Fact]
    public async Task EveryPageAndEndpoint_ForEveryKindOfUser_GivesTheExpectedResult()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var sut = new Matrix();
        foreach (var (method, path, expected) in s_matrix)
        {
            await sut.RowAsync($"{method} {path}", expected, user => RequestAsync(client, method, path, user));
        }

        foreach (var (route, expected, _) in s_sandboxMatrix)
        {
            await sut.RowAsync(route.Label, expected, user => SandboxRequestAsync(client, route, user, _businesses, _developmentBooks, production: false));
        }

        await sut.WriteAsync("Development (QuickBooks:Environment defaults to BuiltInSandbox: one developer's sandbox, shared on purpose)");
        sut.Mismatches.ShouldBeEmpty();
    }

    [Fact]
    public async Task EverySandboxRoute_InProductionWithAllowInProduction_GivesTheExpectedResult()
    {
        using var client = _production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var sut = new Matrix();
        foreach (var (route, _, expected) in s_sandboxMatrix)
        {
            await sut.RowAsync(route.Label, expected, user => SandboxRequestAsync(client, route, user, _productionBusinesses, _productionBooks, production: true));
        }

        await sut.WriteAsync("Production, QuickBooks:Environment=BuiltInSandbox, QuickBooks:BuiltInSandbox:AllowInProduction=true, QuickBooks:FaultInjectionEndpoints=true "
            + "({realm} and {invoice}: the demo business's own sandbox company and an invoice in it)");
        sut.Mismatches.ShouldBeEmpty();
    }

    /// <summary>
    /// The matrix stays complete: every route the app maps (its endpoints and pages, the sandbox's in both
    /// environments) is requested by some row. Static assets and Blazor's own framework endpoints are left out.
    /// </summary>
    [Fact]
    public void EveryRouteTheAppMaps_InEitherEnvironment_HasARowInTheMatrix()
    {
        var rows = s_matrix.Select(r => (r.Method, Path: PathOf(r.Path)))
            .Concat(SandboxRoutes.All.Select(r => (r.Method, Path: PathOf(SandboxRoutes.Base + r.Path))))
            .ToList();

        var missing = MappedRoutes(_factory).Concat(MappedRoutes(_production))
            .Where(route => !rows.Any(row => route.Methods.Contains(row.Method) && route.Matcher.TryMatch(row.Path, new RouteValueDictionary())))
            .Select(route => $"{string.Join("|", route.Methods)} {route.Pattern}")
            .Distinct()
            .ToList();

        missing.ShouldBeEmpty("routes no row of the authorization matrix requests");
    }

    private static PathString PathOf(string path) =>
        new(path.Split('?')[0].Replace("{realm}", "1", StringComparison.Ordinal).Replace("{invoice}", "1", StringComparison.Ordinal));

    private static IEnumerable<(string Pattern, string[] Methods, TemplateMatcher Matcher)> MappedRoutes(JobkoreAppFactory app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null && e.RoutePattern.RawText is { } raw
                && !raw.StartsWith("/_blazor", StringComparison.Ordinal) && !raw.StartsWith("/_framework", StringComparison.Ordinal)
                && !raw.StartsWith("_framework", StringComparison.Ordinal) && !raw.StartsWith("_content", StringComparison.Ordinal)
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null)
            .Select(e => (e.RoutePattern.RawText!, e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.ToArray(),
                new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary())))
            .DistinctBy(r => (r.Item1, string.Join("|", r.Item2)));

    /// <summary>
    /// A sandbox route as <paramref name="user"/>: the same classification as the app's pages, plus 401, and in Production
    /// a 200 that shows a seeded company, or the demo business's company to the admin of another business, is a leak.
    /// </summary>
    private static async Task<(Outcome Outcome, string Detail)> SandboxRequestAsync(HttpClient client, SandboxRoute route, User user, Businesses businesses, SandboxBooks books, bool production)
    {
        using var request = route.ToRequest(client.BaseAddress!, books);
        if (user.OfDemoBusiness is not null)
        {
            TestAuthHandler.SignIn(request, user.Name, user.Admin, BusinessOf(user, businesses));
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var kind = response.Content.Headers.ContentType?.MediaType == "text/html" ? "page" : "JSON";
        string[] leaks = !production ? [] : user == s_otherAdmin ? [.. s_seededCompanyMarkers, books.Realm, "Acme Plumbing", "Inspected Customer"] : s_seededCompanyMarkers;
        return response.StatusCode switch
        {
            HttpStatusCode.OK when leaks.FirstOrDefault(m => body.Contains(m, StringComparison.Ordinal)) is { } leak => (Outcome.LeaksAnotherBusinessesRecords, $"200 showing {leak}"),
            HttpStatusCode.OK when route.PublicMetadata => (Outcome.Allowed, "200 public metadata"),
            HttpStatusCode.OK => (Outcome.Allowed, $"200 {kind}{(production ? ", own company only" : string.Empty)}"),
            HttpStatusCode.Redirect when response.Headers.Location!.Query.Contains("code=", StringComparison.Ordinal) => (Outcome.Allowed, "302 code to the callback"),
            HttpStatusCode.Unauthorized => (Outcome.Unauthorized, $"401 {kind}"),
            HttpStatusCode.Forbidden => (Outcome.Refused, $"403 {kind}"),
            HttpStatusCode.BadRequest => (Outcome.Refused, $"400 {kind}"),
            HttpStatusCode.NotFound => (Outcome.NotFound, $"404 {kind}"),
            _ => (Outcome.Refused, $"{(int)response.StatusCode} {response.Headers.Location}"),
        };
    }

    private async Task<(Outcome Outcome, string Detail)> RequestAsync(HttpClient client, string method, string path, User user)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "dana", ["returnUrl"] = "/invoices" });
        }

        if (user.OfDemoBusiness is not null)
        {
            TestAuthHandler.SignIn(request, user.Name, user.Admin, BusinessOf(user, _businesses));
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var status = (int)response.StatusCode;
        var location = response.Headers.Location?.OriginalString ?? string.Empty;
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Redirect when location.Contains("/account/signin?ReturnUrl=", StringComparison.Ordinal) => (Outcome.SignIn, "302 to sign-in"),
            HttpStatusCode.Redirect when path == "/" && location == "/invoices" => (Outcome.Allowed, "302 to /invoices"),
            HttpStatusCode.Redirect when path == "/integrations/quickbooks/launch" && location == "/settings/integrations" => (Outcome.Allowed, "302 to integrations"),
            HttpStatusCode.Redirect when location.Contains("quickbooks=invalid-state", StringComparison.Ordinal) => (Outcome.Refused, "302 state refused"),

            // Without a listening port here the sandbox cannot be discovered, so a started connect comes back "unreachable".
            HttpStatusCode.Redirect when location.Contains("/qbo-sandbox/connect/oauth2", StringComparison.Ordinal)
                                         || location.Contains("quickbooks=unreachable", StringComparison.Ordinal) => (Outcome.Allowed, "302 connect started"),
            HttpStatusCode.OK when body.Contains("data-testid=\"read-only-hint\"", StringComparison.Ordinal) => (Outcome.ReadOnly, "200 read-only"),
            HttpStatusCode.OK when user == s_otherAdmin && path != "/account/signin" && s_demoRecordMarkers.Any(m => body.Contains(m, StringComparison.Ordinal)) => (Outcome.LeaksAnotherBusinessesRecords, "200 with the demo business's records"),
            HttpStatusCode.OK => (Outcome.Allowed, "200"),
            HttpStatusCode.NotFound => (Outcome.NotFound, "404 not found"),
            HttpStatusCode.BadRequest => (Outcome.Refused, "400 no antiforgery token"),
            HttpStatusCode.Unauthorized => (Outcome.Unauthorized, "401 not signed by Intuit"),
            _ => (Outcome.Refused, $"{status} {location}"),
        };
    }

    private static string CultureInfoInvariant(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// One table of the matrix: a row per request, a cell per kind of user. Written as a section of
    /// artifacts/authorization-matrix.md, so each environment's table replaces only its own.
    /// </summary>
    private sealed class Matrix
    {
        private const string Heading = "## ";
        private readonly StringBuilder _table = new("| Request | " + string.Join(" | ", s_users.Select(u => u.Label)) + " |\n|---|---|---|---|---|\n");

        public List<string> Mismatches { get; } = [];

        public async Task RowAsync(string request, Outcome[] expected, Func<User, Task<(Outcome Outcome, string Detail)>> send)
        {
            var cells = new List<string>();
            for (var i = 0; i < s_users.Length; i++)
            {
                var (observed, detail) = await send(s_users[i]);
                cells.Add(observed == expected[i] ? $"{observed} ({detail})" : $"**{observed} ({detail}), expected {expected[i]}**");
                if (observed != expected[i])
                {
                    Mismatches.Add($"{request} as {s_users[i].Label}: {observed} ({detail}), expected {expected[i]}");
                }
            }

            _table.Append(CultureInfoInvariant($"| {request} | {string.Join(" | ", cells)} |\n"));
        }

        public async Task WriteAsync(string title)
        {
            var folder = Path.Combine(RepositoryPaths.Root, "artifacts");
            var path = Path.Combine(folder, "authorization-matrix.md");
            Directory.CreateDirectory(folder);
            var sections = File.Exists(path)
                ? (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).Split("\n" + Heading).Skip(1).Select(s => Heading + s.TrimEnd() + "\n")
                    .Where(s => !s.StartsWith(Heading + title + "\n", StringComparison.Ordinal)).ToList()
                : [];
            sections.Add($"{Heading}{title}\n\n{_table}");
            var text = "# Authorization matrix\n\n" + string.Join("\n", sections.OrderBy(s => s.StartsWith(Heading + "Development", StringComparison.Ordinal) ? 0 : 1));
            await File.WriteAllTextAsync(path, text, TestContext.Current.CancellationToken);
            TestContext.Current.TestOutputHelper?.WriteLine(_table.ToString());
        }
    }
}

using System.Net;
using Jobkore.Core.Clients;
using Jobkore.Core.Invoices;
using Jobkore.Core.QuickBooks;
using Jobkore.Core.Sync;
using Jobkore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobkore.Tests.Web;

/// <summary>
/// Issue 15's acceptance: the app started as Production with Microsoft Entra ID configured (offline: nothing here
/// reaches login.microsoftonline.com) refuses the built-in sandbox by default, and once allowed serves nothing to
/// anonymous requests and gives each business a sandbox company of its own. Users sign in through test headers.
/// </summary>
public sealed class BuiltInSandboxInProductionTests
{
    private static readonly Dictionary<string, string?> s_entra = new()
    {
        ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd:TenantId"] = "6c1f4a02-8d2e-4b7a-9c35-0f7e2d9a1b44",
        ["AzureAd:ClientId"] = "3f2b9e71-54c6-4d0a-a8e1-7b9c2d4f6e10",
        ["AzureAd:ClientSecret"] = "not-a-real-secret",
        ["AzureAd:CallbackPath"] = "/signin-oidc",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> PublicDemo() => new(s_entra)
    {
        ["QuickBooks:Environment"] = "BuiltInSandbox",
        ["QuickBooks:BuiltInSandbox:AllowInProduction"] = "true",
    };

    [Fact]
    public async Task Start_ProductionWithEntraAndDefaultQuickBooksSettings_RefusesNamingQuickBooksEnvironmentAndItsChoices()
    {
        await using var sut = new JobkoreAppFactory { EnvironmentName = "Production" };
        foreach (var (key, value) in s_entra)
        {
            sut.Settings[key] = value;
        }

        var ex = Should.Throw<OptionsValidationException>(() => sut.CreateClient());

        ex.Message.ShouldContain(QuickBooksOptions.EnvironmentMissing);
        ex.Message.ShouldContain("QuickBooks:Environment is not set. Set it to BuiltInSandbox, IntuitSandbox or Production");
        File.Exists(Path.Combine(sut.Folder, "jobkore.db")).ShouldBeFalse("refused before the database was created or migrated");
    }

    [Fact]
    public async Task AnonymousRequests_EverySandboxRouteOfAnAllowedProductionSandbox_Answer401Or404WithNoDataAndNotTheAppsPage()
    {
        await using var app = new QuickBooksApp(settings: PublicDemo(), environmentName: "Production");
        using var admin = app.Client();
        var books = await SandboxBooks.WriteAsync(admin);
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        string[] data = [books.Realm, "Inspected Customer", "Inspected work", "Acme Plumbing", "Maria O'Brien", "Bob's Burgers"];

        foreach (var route in SandboxRoutes.All)
        {
            using var request = route.ToRequest(app.BaseAddress, books);
            using var response = await anonymous.SendAsync(request, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);

            if (route.PublicMetadata)
            {
                response.StatusCode.ShouldBe(HttpStatusCode.OK, route.Label);
                // Discovery documents and keys, and the inspection page's script: no company's data.
                response.Content.Headers.ContentType!.MediaType.ShouldBeOneOf(["application/json", "text/javascript"], route.Label);
            }
            else
            {
                response.StatusCode.ShouldBeOneOf([HttpStatusCode.Unauthorized, HttpStatusCode.NotFound], route.Label);
            }

            body.ShouldNotContain("_framework/blazor.web.js", Case.Sensitive, route.Label);
            foreach (var marker in data)
            {
                body.ShouldNotContain(marker, Case.Sensitive, $"{route.Label} shows {marker}");
            }
        }

        var company = await app.SandboxAsync(books.Realm, admin);
        QuickBooksApp.Rows(company, "Customer").ShouldNotContain(c => ((string?)c["DisplayName"] ?? string.Empty).EndsWith("Anonymously", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connect_TwoBusinessesThroughTheConsentPage_GetTwoSandboxCompaniesEachWithOnlyItsOwnRecords()
    {
        await using var app = new QuickBooksApp(settings: PublicDemo(), environmentName: "Production");
        var northwind = await app.AddBusinessAsync("Northwind Electric");
        await using (var scope = app.SignedInScope("Olga Berg", admin: true, businessId: northwind))
        {
            var client = await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(Drafts.Client("Harbor Cafe"), Ct);
            await scope.ServiceProvider.GetRequiredService<InvoiceService>().CreateAsync(Drafts.Invoice(client, "NW-1", 0m, Drafts.Line(2, 95m)), markSent: true, Ct);
        }

        using var acmeAdmin = app.Client();
        using var northwindAdmin = app.Client("Olga Berg", admin: true, businessId: northwind);

        var acmeRealm = await ConnectOwnCompanyAsync(acmeAdmin);
        var northwindRealm = await ConnectOwnCompanyAsync(northwindAdmin);
        await SyncAllAsync(app, app.BusinessId);
        await SyncAllAsync(app, northwind);

        northwindRealm.ShouldNotBe(acmeRealm);
        new[] { acmeRealm, northwindRealm }.ShouldAllBe(r => r != QuickBooksApp.AcmeRealm && r != QuickBooksApp.SecondRealm);
        var acme = await app.SandboxAsync(acmeRealm, acmeAdmin);
        var north = await app.SandboxAsync(northwindRealm, northwindAdmin);
        acme["companyName"]!.GetValue<string>().ShouldBe("Acme Plumbing & Heating");
        north["companyName"]!.GetValue<string>().ShouldBe("Northwind Electric");
        Names(north, "Customer").ShouldContain("Harbor Cafe");
        Names(acme, "Customer").ShouldNotContain("Harbor Cafe");
        DocNumbers(north).ShouldBe(["NW-1"]);
        DocNumbers(acme).ShouldNotBeEmpty();
        DocNumbers(acme).ShouldNotContain("NW-1");
        Names(north, "Customer").ShouldBeSubsetOf(["Harbor Cafe", "Maria O'Brien", "Amy's Bird Sanctuary", "Cool Cars"], "only the seed and Northwind's own client");
        (await StatusAsync(northwindAdmin, acmeRealm)).ShouldBe(HttpStatusCode.NotFound);
        (await StatusAsync(acmeAdmin, northwindRealm)).ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>A public demo reset by deleting Jobkore's database alone: the sandbox's file keeps the old companies.</summary>
    [Fact]
    public async Task Connect_AfterJobkoresDatabaseWasDeleted_TheNewBusinessGetsANewCompany_NotTheBooksOfTheOneBefore()
    {
        var folder = Directory.CreateTempSubdirectory("jobkore-demo-reset-").FullName;
        try
        {
            string before;
            await using (var first = new QuickBooksApp(settings: PublicDemo(), environmentName: "Production", folder: folder))
            {
                using var admin = first.Client();
                before = await ConnectOwnCompanyAsync(admin);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var database in Directory.GetFiles(folder, "jobkore.db*"))
            {
                File.Delete(database);
            }

            await using var reset = new QuickBooksApp(settings: PublicDemo(), environmentName: "Production", folder: folder);
            using var newAdmin = reset.Client();
            var after = await ConnectOwnCompanyAsync(newAdmin);

            reset.BusinessId.ShouldBe(1, "the same business id as before the reset");
            after.ShouldNotBe(before);
            (await StatusAsync(newAdmin, before)).ShouldBe(HttpStatusCode.NotFound);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Connect QuickBooks as the client's admin, choosing the one company the consent page offers; returns its realm id.</summary>
    private static async Task<string> ConnectOwnCompanyAsync(HttpClient client)
    {
        var consent = await QuickBooksApp.StartConnectAsync(client);
        var realm = QuickBooksApp.OfferedRealms(consent).ShouldHaveSingleItem();
        var landing = await QuickBooksApp.CallbackAsync(client, await QuickBooksApp.DecideAsync(client, consent, realm, "connect"));
        landing.ShouldBe("/settings/integrations?quickbooks=connected");
        return realm;
    }

    private static async Task SyncAllAsync(QuickBooksApp app, int businessId)
    {
        await using var scope = app.SignedInScope(businessId: businessId);
        await scope.ServiceProvider.GetRequiredService<SyncEngine>().SyncAllAsync(Ct);
    }

    private static List<string> Names(System.Text.Json.Nodes.JsonObject company, string entity) =>
        [.. QuickBooksApp.Rows(company, entity).Select(r => (string)r["DisplayName"]!)];

    private static List<string> DocNumbers(System.Text.Json.Nodes.JsonObject company) =>
        [.. QuickBooksApp.Rows(company, "Invoice").Select(r => (string)r["DocNumber"]!)];

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string realm)
    {
        using var response = await client.GetAsync(new Uri($"/qbo-sandbox/_sandbox/companies/{realm}", UriKind.Relative), Ct);
        return response.StatusCode;
    }
}

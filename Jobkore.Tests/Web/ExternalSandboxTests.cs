using System.Net;
using System.Text.Json.Nodes;
using Jobkore.Core.Clients;
using Jobkore.Core.Invoices;
using Jobkore.Core.Sync;
using Jobkore.Tests.QuickBooksSandbox;
using Jobkore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobkore.Tests.Web;

/// <summary>
/// QuickBooks:BuiltInSandbox:Url: the app uses a sandbox running at another address (here a second Kestrel host in this
/// process, as the standalone sandbox would be) instead of serving one, connects to it through the consent flow and
/// syncs into its books; the production guard stays.
/// </summary>
public sealed class ExternalSandboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SyncOne_AppUsingASandboxAtAnotherAddress_ConnectsThroughItsConsentPageAndTheInvoiceIsInItsBooks()
    {
        await using var sandbox = new StandaloneSandbox();
        await sandbox.InitializeAsync();
        var sandboxUrl = new Uri(sandbox.Http.BaseAddress!, SandboxHost.BasePath + "/");
        await using var app = new QuickBooksApp(settings: new()
        {
            ["QuickBooks:BuiltInSandbox:Url"] = sandboxUrl.AbsoluteUri,
            ["QuickBooks:ClientId"] = SandboxHost.ClientId,
            ["QuickBooks:ClientSecret"] = SandboxHost.ClientSecret,
        });
        var appRoot = new Uri($"http://127.0.0.1:{app.BaseAddress.Port}/");
        using var client = app.Client();

        using var start = await client.GetAsync(new Uri(appRoot, "/integrations/quickbooks/connect"), Ct);
        var authorize = start.Headers.Location!;
        using var consent = await client.GetAsync(authorize, Ct);
        var callback = await sandbox.DecideAsync(SandboxHost.SecondRealm, state: SandboxHost.Param(authorize, "state"), redirectUri: SandboxHost.Param(authorize, "redirect_uri"));
        var landed = await QuickBooksApp.CallbackAsync(client, callback.AbsoluteUri);
        int invoiceId;
        await using (var scope = app.SignedInScope())
        {
            var clientId = await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(Drafts.Client("External Sandbox Client"), Ct);
            invoiceId = await scope.ServiceProvider.GetRequiredService<InvoiceService>().CreateAsync(Drafts.Invoice(clientId, "EXT-1", 0m, Drafts.Line(2, 50m)), markSent: true, Ct);
        }

        var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, invoiceId, SyncTrigger.ResyncOne);
        var books = JsonNode.Parse(await sandbox.Http.GetStringAsync(new Uri($"{SandboxHost.BasePath}/_sandbox/companies/{SandboxHost.SecondRealm}", UriKind.Relative), Ct))!.AsObject();
        using var own = await client.GetAsync(new Uri(appRoot, "/qbo-sandbox/.well-known/openid_sandbox_configuration"), Ct);

        start.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        authorize.GetLeftPart(UriPartial.Path).ShouldBe(new Uri(sandboxUrl, "connect/oauth2").AbsoluteUri, "the browser goes to the sandbox's own address");
        consent.StatusCode.ShouldBe(HttpStatusCode.OK);
        landed.ShouldBe("/settings/integrations?quickbooks=connected");
        result.Outcome.ShouldBe(SyncRunOutcome.Completed);
        result.Summary.Failed.ShouldBe(0);
        var invoice = QuickBooksApp.Rows(books, "Invoice").ShouldHaveSingleItem();
        invoice["DocNumber"]!.GetValue<string>().ShouldBe("EXT-1");
        invoice["TotalAmt"]!.GetValue<decimal>().ShouldBe(100m);
        QuickBooksApp.Rows(books, "Customer").ShouldContain(c => c["DisplayName"]!.GetValue<string>() == "External Sandbox Client");
        own.StatusCode.ShouldNotBe(HttpStatusCode.OK, "the app serves no sandbox of its own");
    }

    [Fact]
    public async Task Start_ProductionWithASandboxUrlWithoutAllowInProduction_RefusesNamingThatKey()
    {
        await using var sut = new JobkoreAppFactory { EnvironmentName = "Production" };
        sut.Settings["Authentication:DemoSignIn"] = "true";
        sut.Settings["QuickBooks:Environment"] = "BuiltInSandbox";
        sut.Settings["QuickBooks:BuiltInSandbox:Url"] = "http://127.0.0.1:5300/";

        var ex = Should.Throw<OptionsValidationException>(() => sut.CreateClient());

        ex.Message.ShouldContain("Set QuickBooks:BuiltInSandbox:AllowInProduction to true");
    }

    [Theory]
    [InlineData("sandbox.local:5300")]
    [InlineData("ftp://127.0.0.1/")]
    public async Task Start_SandboxUrlNotAnAbsoluteHttpUrl_RefusesNamingTheKey(string url)
    {
        await using var sut = new JobkoreAppFactory();
        sut.Settings["QuickBooks:BuiltInSandbox:Url"] = url;

        var ex = Should.Throw<OptionsValidationException>(() => sut.CreateClient());

        ex.Message.ShouldContain("QuickBooks:BuiltInSandbox:Url");
        ex.Message.ShouldContain("is not an absolute http or https URL");
    }

    /// <summary>The sandbox on its own port with the app's callback registered on 127.0.0.1, which matches the app's port whatever it is.</summary>
    private sealed class StandaloneSandbox : SandboxHost
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("QuickBooks:RedirectUris:0", "http://127.0.0.1/integrations/quickbooks/callback")];
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>The read-only inspection views of a sandbox company (issue rule 12).</summary>
public sealed class SandboxInspectionTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    [Fact]
    public async Task Inspection_ShowsInvoicesWithBalancesAndPaymentsWithDepositAccounts()
    {
        var ct = TestContext.Current.CancellationToken;
        var (access, _) = await sandbox.ConnectAsync();
        var realm = SandboxHost.AcmeRealm;
        var customer = (await sandbox.ApiAsync(access, HttpMethod.Post, realm, "customer?requestid=ins-c", new { DisplayName = "Inspected Customer" })).Body["Customer"]!["Id"]!.GetValue<string>();
        var invoice = (await sandbox.ApiAsync(access, HttpMethod.Post, realm, "invoice?requestid=ins-i", new
        {
            CustomerRef = new { value = customer }, DocNumber = "INS-1",
            Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 300, Description = "Boiler service", SalesItemLineDetail = new { } } },
        })).Body["Invoice"]!["Id"]!.GetValue<string>();
        await sandbox.ApiAsync(access, HttpMethod.Post, realm, "payment?requestid=ins-p", new
        {
            CustomerRef = new { value = customer }, TotalAmt = 100, Line = new object[] { new { Amount = 100, LinkedTxn = new object[] { new { TxnId = invoice, TxnType = "Invoice" } } } },
        });

        var companies = await sandbox.Http.GetFromJsonAsync<JsonArray>($"{SandboxHost.BasePath}/_sandbox/companies", ct);
        var snapshot = await sandbox.Http.GetFromJsonAsync<JsonObject>($"{SandboxHost.BasePath}/_sandbox/companies/{realm}", ct);
        var page = await sandbox.Http.GetStringAsync($"{SandboxHost.BasePath}/_sandbox/companies/{realm}/view", ct);
        var invoicePage = await sandbox.Http.GetStringAsync($"{SandboxHost.BasePath}/_sandbox/companies/{realm}/invoices/{invoice}", ct);

        companies!.Select(c => c!["companyName"]!.GetValue<string>()).ShouldBe(["Acme Plumbing & Heating LLC", "Sandbox Company US 2"], ignoreOrder: true);
        var stored = snapshot!["Invoice"]!.AsArray().Single(i => i!["DocNumber"]!.GetValue<string>() == "INS-1")!;
        stored["Balance"]!.GetValue<decimal>().ShouldBe(200m);
        snapshot["Payment"]!.AsArray().Single(p => p!["CustomerRef"]!["value"]!.GetValue<string>() == customer)!["DepositToAccountRef"]!["name"]!.GetValue<string>().ShouldBe("Undeposited Funds");
        page.ShouldContain("Inspected Customer");
        page.ShouldContain("INS-1");
        page.ShouldContain("Undeposited Funds");
        invoicePage.ShouldContain("Invoice INS-1");
        invoicePage.ShouldContain("Boiler service");
        invoicePage.ShouldContain("Balance 200");
    }
}

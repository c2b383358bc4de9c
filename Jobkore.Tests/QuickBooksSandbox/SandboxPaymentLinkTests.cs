using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>
/// What a payment does to the invoices it is applied to (docs/quickbooks-api.md §10 "Applying a payment bumps the invoice's SyncToken",
/// LanternOps/breeze PR #4624): each change of the payment changes the invoice, so an invoice token kept from before is stale.
/// </summary>
public sealed class SandboxPaymentLinkTests(SandboxHost sandbox) : IClassFixture<SandboxHost>, IAsyncLifetime
{
    private const string Realm = SandboxHost.AcmeRealm;
    private string _access = string.Empty;

    public async ValueTask InitializeAsync() => (_access, _) = await sandbox.ConnectAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> Post(string path, object body) => sandbox.WriteAsync(_access, Realm, path, body);

    private async Task<JsonObject> InvoiceAsync(string id) => (await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, $"invoice/{id}")).Body["Invoice"]!.AsObject();

    private static string Token(JsonNode record) => record["SyncToken"]!.GetValue<string>();

    private static string Code(JsonObject body) => body["Fault"]!["Error"]![0]!["code"]!.GetValue<string>();

    /// <summary>A customer, a service item and an invoice of 100.00 for it; returns (customer id, invoice).</summary>
    private async Task<(string Customer, JsonObject Invoice)> InvoiceOf100Async()
    {
        var customer = (await Post("customer", new { DisplayName = "Payer " + Guid.NewGuid().ToString("N") })).Body["Customer"]!["Id"]!.GetValue<string>();
        var income = await sandbox.AccountIdAsync(_access, Realm, "Services");
        var item = (await Post("item", new { Name = "Work " + Guid.NewGuid().ToString("N"), Type = "Service", IncomeAccountRef = new { value = income } })).Body["Item"]!["Id"]!.GetValue<string>();
        var invoice = (await Post("invoice", new
        {
            CustomerRef = new { value = customer },
            Line = new object[] { new { DetailType = "SalesItemLineDetail", SalesItemLineDetail = new { ItemRef = new { value = item }, Qty = 1, UnitPrice = 100 } } },
        })).Body["Invoice"]!.AsObject();
        return (customer, invoice);
    }

    private static object Payment(string customer, string invoiceId, decimal amount) =>
        new { CustomerRef = new { value = customer }, TotalAmt = amount, Line = new object[] { new { Amount = amount, LinkedTxn = new object[] { new { TxnId = invoiceId, TxnType = "Invoice" } } } } };

    [Fact]
    public async Task CreatePayment_AppliedToAnInvoice_BumpsTheInvoicesSyncTokenAndLastUpdatedTime_TheOldTokenIsStale()
    {
        var (customer, invoice) = await InvoiceOf100Async();
        var invoiceId = invoice["Id"]!.GetValue<string>();
        sandbox.Time.Advance(TimeSpan.FromMinutes(3));
        var paidAt = sandbox.Time.GetUtcNow();

        var payment = await Post("payment", Payment(customer, invoiceId, 40));
        var after = await InvoiceAsync(invoiceId);
        var staleEdit = await Post("invoice", new { Id = invoiceId, SyncToken = "0", sparse = true, PrivateNote = "edited with the token from before the payment" });

        Token(invoice).ShouldBe("0");
        payment.Status.ShouldBe(HttpStatusCode.OK);
        Token(after).ShouldBe("1");
        after["Balance"]!.GetValue<decimal>().ShouldBe(60m);
        DateTimeOffset.Parse(after["MetaData"]!["LastUpdatedTime"]!.GetValue<string>(), CultureInfo.InvariantCulture)
            .ShouldBe(paidAt.AddTicks(-(paidAt.Ticks % TimeSpan.TicksPerSecond)));
        Code(staleEdit.Body).ShouldBe("5010");
    }

    [Fact]
    public async Task UpdateVoidOrDeletePayment_BumpsTheInvoicesSyncTokenEachTime_VoidingTheInvoiceNeedsTheCurrentToken()
    {
        var (customer, invoice) = await InvoiceOf100Async();
        var invoiceId = invoice["Id"]!.GetValue<string>();
        var tokens = new List<string>();

        var first = (await Post("payment", Payment(customer, invoiceId, 40))).Body["Payment"]!["Id"]!.GetValue<string>();
        tokens.Add(Token(await InvoiceAsync(invoiceId)));
        await Post("payment", new { Id = first, SyncToken = "0", sparse = true, PrivateNote = "cheque 1001" });
        tokens.Add(Token(await InvoiceAsync(invoiceId)));
        var voided = await Post("payment?operation=update&include=void", new { Id = first, SyncToken = "1", sparse = true });
        tokens.Add(Token(await InvoiceAsync(invoiceId)));
        var second = (await Post("payment", Payment(customer, invoiceId, 30))).Body["Payment"]!["Id"]!.GetValue<string>();
        tokens.Add(Token(await InvoiceAsync(invoiceId)));
        var deleted = await Post("payment?operation=delete", new { Id = second, SyncToken = "0" });
        var current = Token(await InvoiceAsync(invoiceId));
        tokens.Add(current);

        var staleVoid = await Post("invoice?operation=void", new { Id = invoiceId, SyncToken = "1" });
        var currentVoid = await Post("invoice?operation=void", new { Id = invoiceId, SyncToken = current });

        voided.Status.ShouldBe(HttpStatusCode.OK);
        deleted.Status.ShouldBe(HttpStatusCode.OK);
        tokens.ShouldBe(["1", "2", "3", "4", "5"]);
        Code(staleVoid.Body).ShouldBe("5010");
        currentVoid.Status.ShouldBe(HttpStatusCode.OK, currentVoid.Body.ToJsonString());
        Token(currentVoid.Body["Invoice"]!).ShouldBe("6");
    }

    [Fact]
    public async Task UpdatePayment_Refused_LeavesTheInvoicesBalanceLinkAndTokenAsTheyWere()
    {
        var (customer, invoice) = await InvoiceOf100Async();
        var invoiceId = invoice["Id"]!.GetValue<string>();
        var payment = (await Post("payment", Payment(customer, invoiceId, 40))).Body["Payment"]!["Id"]!.GetValue<string>();

        var refused = await Post("payment", new { Id = payment, SyncToken = "0", sparse = true, TotalAmt = 500, Line = new object[] { new { Amount = 500, LinkedTxn = new object[] { new { TxnId = invoiceId, TxnType = "Invoice" } } } } });
        var after = await InvoiceAsync(invoiceId);

        Code(refused.Body).ShouldBe("6000");
        after["Balance"]!.GetValue<decimal>().ShouldBe(60m);
        Token(after).ShouldBe("1");
        after["LinkedTxn"]!.AsArray().Select(l => l!["TxnId"]!.GetValue<string>()).ShouldBe([payment]);
    }
}

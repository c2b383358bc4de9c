using System.Net;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>
/// Sparse and full updates as conservative as QuickBooks (docs/quickbooks-api.md §2 "Updates", §10 "Clearing a field"): a sparse update
/// never clears a value; a full update of everything a read returned, less what is to go, is how a field is cleared.
/// </summary>
public sealed class SandboxUpdateTests(SandboxHost sandbox) : IClassFixture<SandboxHost>, IAsyncLifetime
{
    private const string Realm = SandboxHost.AcmeRealm;
    private string _access = string.Empty;

    public async ValueTask InitializeAsync() => (_access, _) = await sandbox.ConnectAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<JsonObject> PostAsync(string entity, object body)
    {
        var (status, answer, _) = await sandbox.WriteAsync(_access, Realm, entity.ToLowerInvariant(), body);
        status.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        return answer[entity]!.AsObject();
    }

    private async Task<JsonObject> ReadAsync(string entity, string id) =>
        (await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, $"{entity.ToLowerInvariant()}/{id}")).Body[entity]!.AsObject();

    private static string Id(JsonObject record) => record["Id"]!.GetValue<string>();

    private static string Text(JsonNode? node) => node!.GetValue<string>();

    private Task<JsonObject> CustomerAsync() => PostAsync("Customer", new
    {
        DisplayName = "Update " + Guid.NewGuid().ToString("N"),
        CompanyName = "Kept Co",
        PrimaryEmailAddr = new { Address = "kept@example.com" },
        BillAddr = new { Line1 = "1 Old Street", Line2 = "Suite 4", City = "Springfield" },
    });

    private static object SalesLine(decimal amount, string description) =>
        new { DetailType = "SalesItemLineDetail", Amount = amount, Description = description, SalesItemLineDetail = new { } };

    private async Task<JsonObject> InvoiceAsync() => await PostAsync("Invoice", new
    {
        CustomerRef = new { value = Id(await CustomerAsync()) },
        CustomerMemo = new { value = "Thank you for your business" },
        PrivateNote = "Job 7",
        SalesTermRef = new { value = "3" },
        BillEmail = new { Address = "billing@example.com" },
        ShipAddr = new { Line1 = "9 Site Road", City = "Shelbyville" },
        Line = new[] { SalesLine(100, "Labour"), SalesLine(50, "Parts") },
    });

    private static JsonObject Sparse(JsonObject record, JsonObject changes)
    {
        changes["Id"] = Id(record);
        changes["SyncToken"] = Text(record["SyncToken"]);
        changes["sparse"] = true;
        return changes;
    }

    [Fact]
    public async Task SparseUpdate_CustomerMemoWithAnEmptyValue_KeepsTheMemo()
    {
        var invoice = await InvoiceAsync();

        var updated = await PostAsync("Invoice", Sparse(invoice, new JsonObject { ["CustomerMemo"] = new JsonObject { ["value"] = string.Empty } }));

        Text(updated["CustomerMemo"]!["value"]).ShouldBe("Thank you for your business");
        Text(updated["SyncToken"]).ShouldBe("1");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task SparseUpdate_CompanyNameSentAsNullOrEmpty_KeepsIt(string? sent)
    {
        var customer = await CustomerAsync();

        var updated = await PostAsync("Customer", Sparse(customer, new JsonObject { ["CompanyName"] = sent }));

        Text(updated["CompanyName"]).ShouldBe("Kept Co");
    }

    [Fact]
    public async Task SparseUpdate_BillAddrWithOnlyLine1_ChangesLine1_KeepsLine2AndCity()
    {
        var customer = await CustomerAsync();

        var updated = await PostAsync("Customer", Sparse(customer, new JsonObject { ["BillAddr"] = new JsonObject { ["Line1"] = "New" } }));

        Text(updated["BillAddr"]!["Line1"]).ShouldBe("New");
        Text(updated["BillAddr"]!["Line2"]).ShouldBe("Suite 4");
        Text(updated["BillAddr"]!["City"]).ShouldBe("Springfield");
    }

    [Fact]
    public async Task SparseUpdate_EmptyEmailAddress_KeepsTheEmail()
    {
        var customer = await CustomerAsync();

        var updated = await PostAsync("Customer", Sparse(customer, new JsonObject { ["PrimaryEmailAddr"] = new JsonObject { ["Address"] = string.Empty } }));

        Text(updated["PrimaryEmailAddr"]!["Address"]).ShouldBe("kept@example.com");
    }

    [Fact]
    public async Task SparseUpdate_ALineArrayReplacesEveryLine_ANestedObjectMergesIntoTheStoredOne()
    {
        var invoice = await InvoiceAsync();

        var updated = await PostAsync("Invoice", Sparse(invoice, new JsonObject
        {
            ["Line"] = JsonNode.Parse("""[{"DetailType":"SalesItemLineDetail","Amount":70,"Description":"Callout","SalesItemLineDetail":{}}]"""),
            ["ShipAddr"] = new JsonObject { ["Line1"] = "10 Site Road" },
        }));

        updated["Line"]!.AsArray().Where(l => Text(l!["DetailType"]) == "SalesItemLineDetail").Select(l => Text(l!["Description"])).ShouldBe(["Callout"]);
        updated["TotalAmt"]!.GetValue<decimal>().ShouldBe(70m);
        Text(updated["ShipAddr"]!["Line1"]).ShouldBe("10 Site Road");
        Text(updated["ShipAddr"]!["City"]).ShouldBe("Shelbyville");
    }

    [Fact]
    public async Task FullUpdate_WithoutCustomerMemo_RemovesIt_KeepsTheIdAndRecomputesTotalAmt()
    {
        var invoice = await InvoiceAsync();

        var updated = await PostAsync("Invoice", new
        {
            Id = Id(invoice), SyncToken = Text(invoice["SyncToken"]), CustomerRef = new { value = Text(invoice["CustomerRef"]!["value"]) },
            Line = new[] { SalesLine(80, "Labour") },
        });

        updated.ContainsKey("CustomerMemo").ShouldBeFalse();
        Id(updated).ShouldBe(Id(invoice));
        updated["TotalAmt"]!.GetValue<decimal>().ShouldBe(80m);
        updated["Balance"]!.GetValue<decimal>().ShouldBe(80m);
    }

    [Fact]
    public async Task FullUpdate_WithoutCompanyNameOrEmail_RemovesThem_KeepsTheId()
    {
        var customer = await CustomerAsync();

        var updated = await PostAsync("Customer", new { Id = Id(customer), SyncToken = Text(customer["SyncToken"]), DisplayName = Text(customer["DisplayName"]) });

        updated.ContainsKey("CompanyName").ShouldBeFalse();
        updated.ContainsKey("PrimaryEmailAddr").ShouldBeFalse();
        Id(updated).ShouldBe(Id(customer));
    }

    [Fact]
    public async Task FullUpdate_OfWhatAReadReturned_OneFieldChangedOneRemoved_KeepsEveryOtherField()
    {
        var invoice = await ReadAsync("Invoice", Id(await InvoiceAsync()));
        var body = invoice.DeepClone().AsObject();
        body["PrivateNote"] = "Job 7, second visit";
        body.Remove("CustomerMemo");

        var updated = await PostAsync("Invoice", body);

        Text(updated["PrivateNote"]).ShouldBe("Job 7, second visit");
        updated.ContainsKey("CustomerMemo").ShouldBeFalse();
        Text(updated["SyncToken"]).ShouldBe("1");
        foreach (var kept in new[] { "SalesTermRef", "BillEmail", "ShipAddr", "BillAddr", "CustomerRef", "DocNumber", "TxnDate", "DueDate", "Line", "TotalAmt", "Balance" })
        {
            updated[kept]!.ToJsonString().ShouldBe(invoice[kept]!.ToJsonString(), kept);
        }
    }

    [Fact]
    public async Task CreateInvoice_CustomerWithoutAnAddress_AnswersNoBillAddrAndNoNull()
    {
        var customer = await PostAsync("Customer", new { DisplayName = "No Address " + Guid.NewGuid().ToString("N") });

        var invoice = await PostAsync("Invoice", new { CustomerRef = new { value = Id(customer) }, Line = new[] { SalesLine(10, "Labour") } });
        var read = await ReadAsync("Invoice", Id(invoice));

        invoice.ContainsKey("BillAddr").ShouldBeFalse();
        NullPaths(invoice).ShouldBeEmpty();
        NullPaths(read).ShouldBeEmpty();
    }

    [Fact]
    public async Task FullUpdate_PropertiesSentAsNull_AreClearedAsIfLeftOut_AndNoNullIsAnswered()
    {
        var invoice = await ReadAsync("Invoice", Id(await InvoiceAsync()));
        var body = invoice.DeepClone().AsObject();
        body["PrivateNote"] = null;
        body["CustomerMemo"] = null;
        body["ShipAddr"]!["City"] = null;

        var updated = await PostAsync("Invoice", body);
        var read = await ReadAsync("Invoice", Id(invoice));
        var (_, queried, _) = await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, $"query?query={Uri.EscapeDataString($"select * from Invoice where Id = '{Id(invoice)}'")}");

        foreach (var answer in new[] { updated, read })
        {
            answer.ContainsKey("PrivateNote").ShouldBeFalse();
            answer.ContainsKey("CustomerMemo").ShouldBeFalse();
            answer["ShipAddr"]!.AsObject().ContainsKey("City").ShouldBeFalse();
            Text(answer["ShipAddr"]!["Line1"]).ShouldBe("9 Site Road");
            NullPaths(answer).ShouldBeEmpty();
        }

        NullPaths(queried["QueryResponse"]).ShouldBeEmpty();
    }

    /// <summary>Where a JSON tree holds a null-valued property.</summary>
    private static List<string> NullPaths(JsonNode? node, string path = "$") => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Value is null ? new List<string> { $"{path}.{p.Key}" } : NullPaths(p.Value, $"{path}.{p.Key}")).ToList(),
        JsonArray array => array.SelectMany((item, index) => NullPaths(item, $"{path}[{index}]")).ToList(),
        _ => [],
    };
}

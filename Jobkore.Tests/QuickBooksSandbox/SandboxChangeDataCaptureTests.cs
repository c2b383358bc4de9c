using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>Change data capture (docs/quickbooks-api.md §2 "Change Data Capture", §10), over real HTTP on a fake clock.</summary>
public sealed class SandboxChangeDataCaptureTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    private const string Realm = SandboxHost.AcmeRealm;

    /// <summary>Moves the clock past every earlier test's writes and connects; returns the token and the new now.</summary>
    private async Task<(string Access, DateTimeOffset Since)> StartAsync()
    {
        sandbox.Time.Advance(TimeSpan.FromMinutes(5));
        var (access, _) = await sandbox.ConnectAsync();
        return (access, sandbox.Time.GetUtcNow());
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string MetaTime(DateTimeOffset time) => time.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    private Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> CdcAsync(string access, string query) =>
        sandbox.ApiAsync(access, HttpMethod.Get, Realm, "cdc?" + query);

    private async Task<JsonArray> ChangesAsync(string access, string entities, DateTimeOffset since)
    {
        var (status, body, _) = await CdcAsync(access, $"entities={entities}&changedSince={Uri.EscapeDataString(Iso(since))}");
        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        return body["CDCResponse"]!.AsArray().ShouldHaveSingleItem()!["QueryResponse"]!.AsArray();
    }

    private static JsonArray Records(JsonArray responses, string entity) =>
        responses.Single(r => r!.AsObject().ContainsKey(entity))![entity]!.AsArray();

    private static string Id(JsonNode? record) => record!["Id"]!.GetValue<string>();

    private async Task<string> CreateAsync(string access, string entity, object body)
    {
        var (status, answer, _) = await sandbox.WriteAsync(access, Realm, entity.ToLowerInvariant(), body);
        status.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        return Id(answer[entity]);
    }

    private static object Invoice(string customerId) => new
    {
        CustomerRef = new { value = customerId },
        Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 120, SalesItemLineDetail = new { } } },
    };

    [Fact]
    public async Task Cdc_ChangedRecords_ComeBackWholeOnePerEntityAsked_AnEntityWithoutChangesIsAnEmptyObject()
    {
        var (access, since) = await StartAsync();
        var customerId = await CreateAsync(access, "Customer", new { DisplayName = "CDC Customer " + Guid.NewGuid().ToString("N")[..8] });
        var invoiceId = await CreateAsync(access, "Invoice", Invoice(customerId));

        var (status, body, _) = await CdcAsync(access, $"entities=Customer,Item,Invoice&changedSince={Uri.EscapeDataString(Iso(since))}");

        status.ShouldBe(HttpStatusCode.OK);
        body["time"].ShouldNotBeNull();
        var responses = body["CDCResponse"]!.AsArray().ShouldHaveSingleItem()!["QueryResponse"]!.AsArray();
        responses.Count.ShouldBe(3);
        var customers = responses[0]!.AsObject();
        customers["Customer"]!.AsArray().Select(Id).ShouldBe([customerId]);
        customers["Customer"]![0]!["DisplayName"]!.GetValue<string>().ShouldStartWith("CDC Customer");
        customers["Customer"]![0]!["Balance"]!.GetValue<decimal>().ShouldBe(120m);
        (customers["startPosition"]!.GetValue<int>(), customers["maxResults"]!.GetValue<int>(), customers["totalCount"]!.GetValue<int>()).ShouldBe((1, 1, 1));
        responses[1]!.AsObject().Count.ShouldBe(0);
        var invoice = responses[2]!["Invoice"]!.AsArray().ShouldHaveSingleItem()!;
        (Id(invoice), invoice["TotalAmt"]!.GetValue<decimal>(), invoice["Line"]!.AsArray().Count).ShouldBe((invoiceId, 120m, 2));
    }

    [Fact]
    public async Task Cdc_DeletedInvoiceAndPayment_AreStubsStampedWithTheTimeOfDeletion_EarlierChangesAreLeftOut()
    {
        var (access, _) = await StartAsync();
        var customerId = await CreateAsync(access, "Customer", new { DisplayName = "CDC Deleting " + Guid.NewGuid().ToString("N")[..8] });
        var invoiceId = await CreateAsync(access, "Invoice", Invoice(customerId));
        var paymentId = await CreateAsync(access, "Payment", new
        {
            CustomerRef = new { value = customerId }, TotalAmt = 20, Line = new object[] { new { Amount = 20, LinkedTxn = new object[] { new { TxnId = invoiceId, TxnType = "Invoice" } } } },
        });
        sandbox.Time.Advance(TimeSpan.FromSeconds(30));
        var deletedAt = sandbox.Time.GetUtcNow();
        var payment = (await sandbox.ApiAsync(access, HttpMethod.Get, Realm, $"payment/{paymentId}")).Body["Payment"]!;
        (await sandbox.WriteAsync(access, Realm, "payment?operation=delete", new { Id = paymentId, SyncToken = payment["SyncToken"]!.GetValue<string>() })).Status.ShouldBe(HttpStatusCode.OK);
        var invoice = (await sandbox.ApiAsync(access, HttpMethod.Get, Realm, $"invoice/{invoiceId}")).Body["Invoice"]!;
        (await sandbox.WriteAsync(access, Realm, "invoice?operation=delete", new { Id = invoiceId, SyncToken = invoice["SyncToken"]!.GetValue<string>() })).Status.ShouldBe(HttpStatusCode.OK);

        var responses = await ChangesAsync(access, "Invoice,Payment,Customer", deletedAt);

        var expected = new JsonObject { ["status"] = "Deleted", ["domain"] = "QBO", ["Id"] = invoiceId, ["MetaData"] = new JsonObject { ["LastUpdatedTime"] = MetaTime(deletedAt) } };
        JsonNode.DeepEquals(Records(responses, "Invoice").ShouldHaveSingleItem(), expected).ShouldBeTrue(Records(responses, "Invoice").ToJsonString());
        expected["Id"] = paymentId;
        JsonNode.DeepEquals(Records(responses, "Payment").ShouldHaveSingleItem(), expected).ShouldBeTrue(Records(responses, "Payment").ToJsonString());
        // The deletions changed the customer's balance, not its record's LastUpdatedTime: it was last modified before.
        responses[2]!.AsObject().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Cdc_CustomerMadeInactive_ComesBackWholeWithActiveFalse()
    {
        var (access, since) = await StartAsync();
        var customerId = await CreateAsync(access, "Customer", new { DisplayName = "CDC Inactive " + Guid.NewGuid().ToString("N")[..8] });
        (await sandbox.WriteAsync(access, Realm, "customer", new { Id = customerId, SyncToken = "0", sparse = true, Active = false })).Status.ShouldBe(HttpStatusCode.OK);

        var customer = Records(await ChangesAsync(access, "Customer", since), "Customer").ShouldHaveSingleItem()!;

        (Id(customer), customer["Active"]!.GetValue<bool>(), customer["SyncToken"]!.GetValue<string>()).ShouldBe((customerId, false, "1"));
        customer["DisplayName"]!.GetValue<string>().ShouldStartWith("CDC Inactive");
    }

    [Fact]
    public async Task Cdc_ChangedSinceMoreThan30DaysAgo_Is400WithIntuitsMessage_30DaysIsAnswered()
    {
        var (access, now) = await StartAsync();
        var tooOld = Iso(now - TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));

        var (status, body, _) = await CdcAsync(access, $"entities=Customer&changedSince={Uri.EscapeDataString(tooOld)}");
        var atLimit = await CdcAsync(access, $"entities=Customer&changedSince={Uri.EscapeDataString(Iso(now - TimeSpan.FromDays(30)))}");

        status.ShouldBe(HttpStatusCode.BadRequest);
        var error = body["Fault"]!["Error"]![0]!;
        error["Detail"]!.GetValue<string>().ShouldBe($"Operation cdc with changedSince date {tooOld} which is older than fixed days is not supported.");
        error["code"]!.GetValue<string>().ShouldBe("500");
        atLimit.Status.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("changedSince=2026-11-24T21:00:00Z", "2020", "entities", "Required parameter entities is missing")]
    [InlineData("entities=&changedSince=2026-11-24T21:00:00Z", "2020", "entities", "Required parameter entities is missing")]
    [InlineData("entities=Customer", "2020", "changedSince", "Required parameter changedSince is missing")]
    [InlineData("entities=Customer&changedSince=yesterday", "2010", "changedSince", "not an ISO 8601 date-time with an offset; send one like 2026-11-24T21:00:00Z")]
    [InlineData("entities=Customer&changedSince=2026-11-24T21:00:00", "2010", "changedSince", "with an offset")]
    [InlineData("entities=Customer,Estimate&changedSince=2026-11-24T21:00:00Z", "2010", "entities", "not supported for entity Estimate. Name one or more of Customer, Item, Invoice, Payment, Account")]
    [InlineData("entities=TaxCode&changedSince=2026-11-24T21:00:00Z", "2010", "entities", "not supported for entity TaxCode")]
    public async Task Cdc_MissingOrUnreadableParameters_AreValidationFaultsSayingWhatToFix(string query, string code, string element, string detail)
    {
        var (access, _) = await StartAsync();

        var (status, body, _) = await CdcAsync(access, query);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body["Fault"]!["type"]!.GetValue<string>().ShouldBe("ValidationFault");
        var error = body["Fault"]!["Error"]![0]!;
        (error["code"]!.GetValue<string>(), error["element"]!.GetValue<string>()).ShouldBe((code, element));
        error["Detail"]!.GetValue<string>().ShouldContain(detail);
    }

    [Fact]
    public async Task Cdc_WithoutAToken_Is401LikeEveryApiCall()
    {
        var (status, _, _) = await sandbox.ApiAsync("not-a-token-but-long-enough", HttpMethod.Get, Realm, $"cdc?entities=Customer&changedSince={Iso(sandbox.Time.GetUtcNow())}");

        status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Cdc_MoreThan1000Changes_AnswersTheOldest1000InTotal_AskingAgainFromTheLastLastUpdatedTimeGetsTheRest()
    {
        var (access, since) = await StartAsync();
        var oldestCustomer = await CreateAsync(access, "Customer", new { DisplayName = "CDC Oldest " + Guid.NewGuid().ToString("N")[..8] });
        var oldestInvoice = await CreateAsync(access, "Invoice", Invoice(oldestCustomer));
        var created = new List<string> { oldestCustomer };
        for (var batch = 0; batch < 35; batch++)
        {
            sandbox.Time.Advance(TimeSpan.FromSeconds(1));
            var items = Enumerable.Range(0, 30).Select(i => new { bId = $"b{i}", operation = "create", Customer = new { DisplayName = $"CDC Bulk {Guid.NewGuid():N}" } }).ToArray();
            var (status, body, _) = await sandbox.WriteAsync(access, Realm, "batch", new { BatchItemRequest = items });
            status.ShouldBe(HttpStatusCode.OK);
            created.AddRange(body["BatchItemResponse"]!.AsArray().Select(r => Id(r!["Customer"])));
        }

        var first = await ChangesAsync(access, "Customer,Invoice", since);
        var firstCustomers = Records(first, "Customer");
        var lastReceived = firstCustomers.Max(c => DateTimeOffset.Parse(c!["MetaData"]!["LastUpdatedTime"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        var second = Records(await ChangesAsync(access, "Customer", lastReceived), "Customer");

        (firstCustomers.Count + Records(first, "Invoice").Count).ShouldBe(1000);
        Records(first, "Invoice").Select(Id).ShouldBe([oldestInvoice]);
        firstCustomers.Select(Id).ShouldBe(created.Take(999));
        first[0]!["totalCount"]!.GetValue<int>().ShouldBe(999);
        firstCustomers.Select(Id).Concat(second.Select(Id)).Distinct().ShouldBe(created, ignoreOrder: true);
    }
}

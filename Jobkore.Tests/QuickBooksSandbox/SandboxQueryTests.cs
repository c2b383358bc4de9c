using System.Net;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>QBO's query language and batch (issue rules 7, 8; docs/quickbooks-api.md §2), over real HTTP, on the second company.</summary>
public sealed class SandboxQueryTests(SandboxHost sandbox) : IClassFixture<SandboxHost>, IAsyncLifetime
{
    private const string Realm = SandboxHost.SecondRealm;
    private string _access = string.Empty;

    public async ValueTask InitializeAsync() => (_access, _) = await sandbox.ConnectAsync(Realm);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<(HttpStatusCode Status, JsonObject Body)> Query(string statement)
    {
        var (status, body, _) = await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, $"query?query={Uri.EscapeDataString(statement)}&minorversion=75");
        return (status, body);
    }

    private static string Code(JsonObject body) => body["Fault"]!["Error"]![0]!["code"]!.GetValue<string>();

    private static List<string> Names(JsonObject body, string entity, string field = "DisplayName") =>
        body["QueryResponse"]![entity]?.AsArray().Select(n => n![field]!.GetValue<string>()).ToList() ?? [];

    [Fact]
    public async Task EscapedApostrophe_MatchesTheName_AndKeywordsAreCaseInsensitive()
    {
        var (status, body) = await Query(@"select * from customer where DisplayName = 'Jeff\'s Jalopies'");

        status.ShouldBe(HttpStatusCode.OK);
        Names(body, "Customer").ShouldBe(["Jeff's Jalopies"]);
        body["QueryResponse"]!["maxResults"]!.GetValue<int>().ShouldBe(1);
        body["QueryResponse"]!["startPosition"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task RawApostrophe_Is4000ParseError()
    {
        var (status, body) = await Query("SELECT * FROM Customer WHERE DisplayName = 'Jeff's Jalopies'");

        status.ShouldBe(HttpStatusCode.BadRequest);
        Code(body).ShouldBe("4000");
    }

    [Theory]
    [InlineData("SELECT *, Sku FROM Item MAXRESULTS 1", "SELECT * FROM Item MAXRESULTS 1", "Item")]
    [InlineData("select *, DisplayName, MetaData.CreateTime from Customer where DisplayName = 'Jeff\\'s Jalopies'",
        "select * from Customer where DisplayName = 'Jeff\\'s Jalopies'", "Customer")]
    public async Task StarWithFields_AnswersEveryFieldAsStarDoes(string statement, string starStatement, string entity)
    {
        var (status, body) = await Query(statement);
        var (_, star) = await Query(starStatement);

        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        body["QueryResponse"]![entity]!.AsArray().Count.ShouldBe(1);
        body["QueryResponse"]![entity]!.ToJsonString().ShouldBe(star["QueryResponse"]![entity]!.ToJsonString());
    }

    [Theory]
    [InlineData("SELECT * FROM Customer WHERE Notes = 'x'", "property 'Notes' is not queryable")]
    [InlineData("SELECT * FROM Customer MAXRESULTS 1001", "value 1001 is too large. Max allowed value is 1000")]
    [InlineData("SELECT * FROM Customer STARTPOSITION 0", "value 0 is too small. Min allowed value is 1")]
    public async Task InvalidQuery_Is4001WithQbosWording(string statement, string detail)
    {
        var (_, body) = await Query(statement);

        Code(body).ShouldBe("4001");
        body["Fault"]!["Error"]![0]!["Detail"]!.GetValue<string>().ShouldBe($"QueryValidationError: {detail}");
    }

    [Fact]
    public async Task NoMatch_IsAnEmptyQueryResponse()
    {
        var (_, body) = await Query("SELECT * FROM Customer WHERE DisplayName = 'Nobody At All'");

        body["QueryResponse"]!.AsObject().Count.ShouldBe(0);
    }

    [Fact]
    public async Task InactiveRecords_AreHiddenUnlessActiveIsFiltered()
    {
        var (_, created, _) = await sandbox.ApiAsync(_access, HttpMethod.Post, Realm, "customer?requestid=q-inactive", new { DisplayName = "Gone Customer" });
        await sandbox.ApiAsync(_access, HttpMethod.Post, Realm, "customer?requestid=q-inactive-2", new { Id = created["Customer"]!["Id"]!.GetValue<string>(), SyncToken = "0", sparse = true, Active = false });

        var (_, hidden) = await Query("SELECT * FROM Customer WHERE DisplayName = 'Gone Customer'");
        var (_, shown) = await Query("SELECT * FROM Customer WHERE DisplayName = 'Gone Customer' AND Active IN (true, false)");

        Names(hidden, "Customer").ShouldBeEmpty();
        Names(shown, "Customer").ShouldBe(["Gone Customer"]);
    }

    [Fact]
    public async Task CountLikeOrderAndPaging_Work()
    {
        var (_, count) = await Query("SELECT count(*) FROM Account WHERE AccountType = 'Bank'");
        var (_, like) = await Query("SELECT * FROM Customer WHERE DisplayName LIKE 'Jeff%'");
        var (_, page) = await Query("SELECT * FROM Account ORDER BY Name DESC STARTPOSITION 2 MAXRESULTS 2");

        count["QueryResponse"]!["totalCount"]!.GetValue<int>().ShouldBe(2);
        Names(like, "Customer").ShouldBe(["Jeff's Jalopies"]);
        Names(page, "Account", "Name").ShouldBe(["Services", "Savings"]); // Undeposited Funds, Services, Savings, … by name descending
        page["QueryResponse"]!["startPosition"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task PostWithApplicationText_RunsTheQuery()
    {
        var (status, body, _) = await sandbox.ApiAsync(_access, HttpMethod.Post, Realm, "query?minorversion=75", textBody: "SELECT * FROM Account WHERE Name IN ('Checking', 'Savings')");

        status.ShouldBe(HttpStatusCode.OK);
        Names(body, "Account", "Name").ShouldBe(["Checking", "Savings"], ignoreOrder: true);
    }

    /// <summary>A customer of its own with one untaxed invoice per (DocNumber, amount); returns the customer's id.</summary>
    private async Task<string> InvoicesAsync(params (string DocNumber, decimal Amount)[] invoices)
    {
        var (_, customer, _) = await sandbox.WriteAsync(_access, Realm, "customer", new { DisplayName = "Typed " + Guid.NewGuid().ToString("N") });
        var customerId = customer["Customer"]!["Id"]!.GetValue<string>();
        foreach (var (docNumber, amount) in invoices)
        {
            var (status, body, _) = await sandbox.WriteAsync(_access, Realm, "invoice?include=allowduplicatedocnum", new
            {
                CustomerRef = new { value = customerId },
                DocNumber = docNumber,
                Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = amount, SalesItemLineDetail = new { } } },
            });
            status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        }

        return customerId;
    }

    [Fact]
    public async Task Where_EqualsOrInOnAStringField_ComparesText_NotNumbers()
    {
        var customer = await InvoicesAsync(("1001", 10m), ("01001", 10m), ("1001.0", 10m));

        var (_, equal) = await Query($"SELECT * FROM Invoice WHERE CustomerRef = '{customer}' AND DocNumber = '1001'");
        var (_, listed) = await Query($"SELECT * FROM Invoice WHERE CustomerRef = '{customer}' AND DocNumber IN ('1001')");

        Names(equal, "Invoice", "DocNumber").ShouldBe(["1001"]);
        Names(listed, "Invoice", "DocNumber").ShouldBe(["1001"]);
    }

    [Fact]
    public async Task Where_RangeOperators_CompareANumberFieldNumericallyQuotedOrNot_AndAStringFieldAsText()
    {
        var customer = await InvoicesAsync(("9", 999.99m), ("10", 1000.01m), ("100", 100m));

        var (_, quoted) = await Query($"SELECT * FROM Invoice WHERE CustomerRef = '{customer}' AND TotalAmt > '1000.0'");
        var (_, bare) = await Query($"SELECT * FROM Invoice WHERE CustomerRef = '{customer}' AND TotalAmt > 1000");
        var (_, hundred) = await Query($"SELECT * FROM Invoice WHERE CustomerRef = '{customer}' AND TotalAmt = '100'");
        var (_, text) = await Query($"SELECT * FROM Invoice WHERE CustomerRef = '{customer}' AND DocNumber >= '9'");

        Names(quoted, "Invoice", "DocNumber").ShouldBe(["10"]);
        Names(bare, "Invoice", "DocNumber").ShouldBe(["10"]);
        Names(hundred, "Invoice", "DocNumber").ShouldBe(["100"]);
        Names(text, "Invoice", "DocNumber").ShouldBe(["9"]); // '10' and '100' come before '9' as text
    }

    [Fact]
    public async Task OrderBy_AStringFieldSortsAsText_ANumberFieldNumerically()
    {
        var customer = await InvoicesAsync(("9", 50m), ("10", 1000m), ("100", 7m));

        var (_, byNumber) = await Query($"SELECT * FROM Invoice WHERE CustomerRef = '{customer}' ORDERBY DocNumber");
        var (_, byAmount) = await Query($"SELECT * FROM Invoice WHERE CustomerRef = '{customer}' ORDER BY TotalAmt DESC");

        Names(byNumber, "Invoice", "DocNumber").ShouldBe(["10", "100", "9"]);
        Names(byAmount, "Invoice", "DocNumber").ShouldBe(["10", "9", "100"]);
    }

    [Fact]
    public async Task Batch_ItemsSucceedOrFailOnTheirOwn_QueriesIncluded()
    {
        var (status, body, _) = await sandbox.ApiAsync(_access, HttpMethod.Post, Realm, "batch?requestid=batch-1", new
        {
            BatchItemRequest = new object[]
            {
                new { bId = "1", operation = "create", Customer = new { DisplayName = "Batch Customer" } },
                new { bId = "2", operation = "create", Customer = new { DisplayName = "Norton Lumber and Building Materials" } },
                new { bId = "3", Query = "select * from Customer where DisplayName = 'Batch Customer'" },
            },
        });

        status.ShouldBe(HttpStatusCode.OK);
        var items = body["BatchItemResponse"]!.AsArray();
        items[0]!["Customer"]!["DisplayName"]!.GetValue<string>().ShouldBe("Batch Customer");
        items[1]!["Fault"]!["Error"]![0]!["code"]!.GetValue<string>().ShouldBe("6240");
        items[2]!["QueryResponse"]!["Customer"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Batch_MoreThan30Items_IsRefused()
    {
        var items = Enumerable.Range(1, 31).Select(i => new { bId = $"b{i}", Query = "select * from Customer" }).ToArray();

        var (status, body, _) = await sandbox.ApiAsync(_access, HttpMethod.Post, Realm, "batch?requestid=batch-2", new { BatchItemRequest = items });

        status.ShouldBe(HttpStatusCode.BadRequest);
        body["Fault"]!["Error"]![0]!["Detail"]!.GetValue<string>().ShouldContain("permissible limit of 30 items");
    }
}

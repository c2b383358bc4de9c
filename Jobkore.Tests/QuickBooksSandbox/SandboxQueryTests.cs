using System.Net;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>QBO's query language and batch (issue rules 7, 8; facts §2), over real HTTP, on the second company.</summary>
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

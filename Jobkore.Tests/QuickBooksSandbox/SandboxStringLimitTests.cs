using System.Net;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>QBO's string lengths (docs/quickbooks-api.md §5), refused with 2050 "Invalid String Length" on create, update and in batches.</summary>
public sealed class SandboxStringLimitTests(SandboxHost sandbox) : IClassFixture<SandboxHost>, IAsyncLifetime
{
    private const string Realm = SandboxHost.AcmeRealm;
    private string _access = string.Empty;

    public async ValueTask InitializeAsync() => (_access, _) = await sandbox.ConnectAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> Post(string path, object body) => sandbox.WriteAsync(_access, Realm, path, body);

    /// <summary>Text of exactly <paramref name="length"/> characters, different on every call (names must be unique).</summary>
    private static string Text(int length) => string.Concat(Enumerable.Repeat(Guid.NewGuid().ToString("N"), (length / 32) + 1))[..length];

    private static string Detail(int max, int supplied) =>
        $"String length is either shorter or longer than supported by specification, String length specified does not match the supported length. Min:0 Max:{max} supported. Supplied length:{supplied}";

    private static void ShouldBeInvalidStringLength((HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response) answer, string element, int max) =>
        ShouldBeInvalidStringLength(answer.Status, answer.Body, element, max);

    private static void ShouldBeInvalidStringLength(HttpStatusCode status, JsonNode body, string element, int max)
    {
        status.ShouldBe(HttpStatusCode.BadRequest, body.ToJsonString());
        body["Fault"]!["type"]!.GetValue<string>().ShouldBe("ValidationFault");
        var error = body["Fault"]!["Error"]![0]!;
        error["code"]!.GetValue<string>().ShouldBe("2050");
        error["Message"]!.GetValue<string>().ShouldBe("Invalid String Length");
        error["Detail"]!.GetValue<string>().ShouldBe(Detail(max, max + 1));
        error["element"]!.GetValue<string>().ShouldBe(element);
    }

    private async Task<string> CustomerIdAsync() =>
        (await Post("customer", new { DisplayName = "Limits " + Guid.NewGuid().ToString("N") })).Body["Customer"]!["Id"]!.GetValue<string>();

    /// <summary>A body QBO would accept for <paramref name="entity"/>, before the field under test is set.</summary>
    private async Task<JsonObject> ValidBodyAsync(string entity) => entity switch
    {
        "Customer" => new JsonObject { ["DisplayName"] = "Limits " + Guid.NewGuid().ToString("N") },
        "Item" => new JsonObject { ["Name"] = "Limits " + Guid.NewGuid().ToString("N"), ["Type"] = "Service", ["IncomeAccountRef"] = new JsonObject { ["value"] = await sandbox.AccountIdAsync(_access, Realm, "Services") } },
        "Invoice" => new JsonObject
        {
            ["CustomerRef"] = new JsonObject { ["value"] = await CustomerIdAsync() },
            ["Line"] = new JsonArray(new JsonObject { ["DetailType"] = "SalesItemLineDetail", ["Amount"] = 10, ["SalesItemLineDetail"] = new JsonObject() }),
        },
        "Payment" => new JsonObject { ["CustomerRef"] = new JsonObject { ["value"] = await CustomerIdAsync() }, ["TotalAmt"] = 5 },
        "Account" => new JsonObject { ["Name"] = "Limits " + Guid.NewGuid().ToString("N"), ["AccountType"] = "Income" },
        _ => throw new ArgumentOutOfRangeException(nameof(entity)),
    };

    /// <summary>Sets a dotted path ("BillAddr.Line1"); an array on the way (Line) means its first element.</summary>
    private static JsonObject With(JsonObject body, string path, string value)
    {
        var parts = path.Split('.');
        var node = body;
        foreach (var part in parts[..^1])
        {
            node = node[part] switch
            {
                JsonArray array => (JsonObject)array[0]!,
                JsonObject child => child,
                _ => (JsonObject)(node[part] = new JsonObject()),
            };
        }

        node[parts[^1]] = value;
        return body;
    }

    [Theory]
    [InlineData("Customer", "CompanyName", 100)]
    [InlineData("Customer", "GivenName", 100)]
    [InlineData("Customer", "Title", 16)]
    [InlineData("Customer", "PrintOnCheckName", 110)]
    [InlineData("Customer", "Notes", 2000)]
    [InlineData("Customer", "PrimaryEmailAddr.Address", 100)]
    [InlineData("Customer", "Mobile.FreeFormNumber", 30)]
    [InlineData("Customer", "BillAddr.Line1", 500)]
    [InlineData("Customer", "ShipAddr.Line5", 500)]
    [InlineData("Customer", "BillAddr.City", 255)]
    [InlineData("Customer", "ShipAddr.CountrySubDivisionCode", 255)]
    [InlineData("Customer", "BillAddr.PostalCode", 30)]
    [InlineData("Item", "Name", 100)]
    [InlineData("Item", "Description", 4000)]
    [InlineData("Item", "PurchaseDesc", 1000)]
    [InlineData("Item", "Sku", 100)]
    [InlineData("Invoice", "DocNumber", 21)]
    [InlineData("Invoice", "CustomerMemo.value", 1000)]
    [InlineData("Invoice", "PrivateNote", 4000)]
    [InlineData("Invoice", "Line.Description", 4000)]
    [InlineData("Payment", "PrivateNote", 4000)]
    [InlineData("Account", "Name", 100)]
    [InlineData("Account", "Description", 100)]
    public async Task Create_StringAtItsLimit_IsAccepted_OneLonger_Is2050InvalidStringLength(string entity, string field, int max)
    {
        var atLimit = await Post(entity.ToLowerInvariant(), With(await ValidBodyAsync(entity), field, Text(max)));
        var over = await Post(entity.ToLowerInvariant(), With(await ValidBodyAsync(entity), field, Text(max + 1)));

        atLimit.Status.ShouldBe(HttpStatusCode.OK, atLimit.Body.ToJsonString());
        ShouldBeInvalidStringLength(over, field, max);
    }

    [Fact]
    public async Task CreatePayment_PaymentRefNumOf21_IsAccepted_22_Is2050()
    {
        var customer = await CustomerIdAsync();

        var ok = await Post("payment", new { CustomerRef = new { value = customer }, TotalAmt = 5, PaymentRefNum = Text(21) });
        var tooLong = await Post("payment", new { CustomerRef = new { value = customer }, TotalAmt = 5, PaymentRefNum = Text(22) });

        ok.Status.ShouldBe(HttpStatusCode.OK);
        ShouldBeInvalidStringLength(tooLong, "PaymentRefNum", 21);
    }

    [Fact]
    public async Task Batch_PaymentRefNumOf22_FaultsOnlyItsOwnItem_TheCallIs200()
    {
        var customer = await CustomerIdAsync();

        var (status, body, _) = await Post("batch", new
        {
            BatchItemRequest = new object[]
            {
                new { bId = "ok", operation = "create", Payment = new { CustomerRef = new { value = customer }, TotalAmt = 5, PaymentRefNum = Text(21) } },
                new { bId = "long", operation = "create", Payment = new { CustomerRef = new { value = customer }, TotalAmt = 5, PaymentRefNum = Text(22) } },
            },
        });

        status.ShouldBe(HttpStatusCode.OK);
        var items = body["BatchItemResponse"]!.AsArray();
        items[0]!["Payment"]!["PaymentRefNum"]!.GetValue<string>().Length.ShouldBe(21);
        items[1]!["bId"]!.GetValue<string>().ShouldBe("long");
        ShouldBeInvalidStringLength(HttpStatusCode.BadRequest, items[1]!, "PaymentRefNum", 21);
    }

    [Fact]
    public async Task Update_SparseOrFull_ResultingRecordOverALimit_Is2050_TheRecordIsUnchanged()
    {
        var created = (await Post("customer", new { DisplayName = "Limits " + Guid.NewGuid().ToString("N"), CompanyName = "Kept Co" })).Body["Customer"]!.AsObject();
        var id = created["Id"]!.GetValue<string>();
        var full = created.DeepClone().AsObject();
        full["CompanyName"] = Text(101);

        var sparse = await Post("customer", new { Id = id, SyncToken = "0", sparse = true, Notes = Text(2001) });
        var whole = await Post("customer", full);
        var after = (await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, $"customer/{id}")).Body["Customer"]!;

        ShouldBeInvalidStringLength(sparse, "Notes", 2000);
        ShouldBeInvalidStringLength(whole, "CompanyName", 100);
        after["SyncToken"]!.GetValue<string>().ShouldBe("0");
        after["CompanyName"]!.GetValue<string>().ShouldBe("Kept Co");
    }

    [Fact]
    public async Task CreateCustomer_DisplayNameLongerThanPrintOnCheckNamesLimit_StaysUpdatable()
    {
        var created = (await Post("customer", new { DisplayName = Text(300) })).Body["Customer"]!;

        var (status, body, _) = await Post("customer", new { Id = created["Id"]!.GetValue<string>(), SyncToken = "0", sparse = true, CompanyName = "Long Name Co" });

        created["PrintOnCheckName"]!.GetValue<string>().Length.ShouldBeLessThanOrEqualTo(110);
        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
    }
}

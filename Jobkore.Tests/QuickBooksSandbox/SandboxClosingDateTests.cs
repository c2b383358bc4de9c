using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>
/// The closing date (Preferences AccountingInfoPrefs.BookCloseDate; docs/quickbooks-api.md §4, 6210 Account Period Closed):
/// every Accounting API write of an invoice or payment dated on or before it is refused and changes nothing — no
/// SyncToken, amount, balance, CDC change or webhook —, the same write dated after it goes through, and a QuickBooks
/// user's own edits still do. Over real HTTP on a fake clock, with webhooks sent, so that none is seen to be queued.
/// </summary>
public sealed class SandboxClosingDateTests(WebhookSandboxHost sandbox) : IClassFixture<WebhookSandboxHost>, IAsyncLifetime
{
    private const string Realm = SandboxHost.AcmeRealm;
    private string _access = string.Empty;

    /// <summary>Every kind of API write of an invoice or a payment, each also as a batch item.</summary>
    public static TheoryData<string> WriteKinds =>
    [
        "invoice create", "invoice create without TxnDate", "invoice full update", "invoice sparse update",
        "invoice sparse update into the period", "invoice sparse update out of the period", "invoice void", "invoice delete",
        "payment create", "payment create without TxnDate", "payment full update", "payment sparse update", "payment void", "payment delete",
        "batch invoice create", "batch invoice sparse update", "batch invoice void", "batch invoice delete",
        "batch payment create", "batch payment sparse update", "batch payment void", "batch payment delete",
    ];

    private DateOnly Today => DateOnly.FromDateTime(sandbox.Time.GetUtcNow().UtcDateTime);

    public async ValueTask InitializeAsync()
    {
        sandbox.Time.Advance(TimeSpan.FromMinutes(1));
        (_access, _) = await sandbox.ConnectAsync();
        (await CloseBooksAsync(null)).ShouldBe(HttpStatusCode.OK);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Id(JsonNode? record) => record!["Id"]!.GetValue<string>();

    private static string Text(JsonNode? node) => node!.GetValue<string>();

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<JsonObject> CreateAsync(string entity, object body)
    {
        var (status, answer, _) = await sandbox.WriteAsync(_access, Realm, entity.ToLowerInvariant(), body);
        status.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        return answer[entity]!.AsObject();
    }

    private async Task<JsonObject> ReadAsync(string entity, string id) =>
        (await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, $"{entity.ToLowerInvariant()}/{id}")).Body[entity]!.AsObject();

    private async Task<JsonObject> PreferencesAsync() =>
        (await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, "preferences")).Body["Preferences"]!.AsObject();

    /// <summary>A user's change at {base}/_sandbox/companies/{realm}/user/…; returns the status and answer.</summary>
    private async Task<(HttpStatusCode Status, JsonObject Body)> UserAsync(string path, object body)
    {
        using var response = await sandbox.Http.PostAsync($"{SandboxHost.BasePath}/_sandbox/companies/{Realm}/user/{path}",
            JsonContent.Create(body, options: new System.Text.Json.JsonSerializerOptions()), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, (JsonNode.Parse(text) as JsonObject)!);
    }

    /// <summary>A user sets the closing date (null clears it).</summary>
    private async Task<HttpStatusCode> CloseBooksAsync(DateOnly? date) =>
        (await UserAsync("preferences/update", new { AccountingInfoPrefs = new { BookCloseDate = date is { } d ? Day(d) : null } })).Status;

    /// <summary>An invoice of 100 (plus tax) dated <paramref name="date"/>, or sent without a TxnDate.</summary>
    private static JsonObject Invoice(string customerId, DateOnly? date)
    {
        var body = Node(new
        {
            CustomerRef = new { value = customerId },
            Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 100, SalesItemLineDetail = new { TaxCodeRef = new { value = "TAX" } } } },
        });
        return Dated(body, date);
    }

    /// <summary>A payment of <paramref name="amount"/> applied to an invoice, dated <paramref name="date"/> or sent without a TxnDate.</summary>
    private static JsonObject Payment(string customerId, string invoiceId, DateOnly? date, decimal amount = 10)
    {
        var body = Node(new
        {
            CustomerRef = new { value = customerId },
            TotalAmt = amount,
            Line = new object[] { new { Amount = amount, LinkedTxn = new object[] { new { TxnId = invoiceId, TxnType = "Invoice" } } } },
        });
        return Dated(body, date);
    }

    private static JsonObject Dated(JsonObject body, DateOnly? date)
    {
        if (date is { } d)
        {
            body["TxnDate"] = Day(d);
        }

        return body;
    }

    private static JsonObject Sparse(JsonObject record, object? changes = null)
    {
        var body = changes is null ? [] : Node(changes);
        body["Id"] = Id(record);
        body["SyncToken"] = Text(record["SyncToken"]);
        body["sparse"] = true;
        return body;
    }

    private static JsonObject Node(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value)!.AsObject();

    /// <summary>A customer's books, all dated today but one invoice dated tomorrow: an unpaid invoice, a paid one and its payment.</summary>
    private async Task<Ledger> LedgerAsync()
    {
        var customer = await CreateAsync("Customer", new { DisplayName = $"Closed {Guid.NewGuid():N}"[..15] });
        var invoice = await CreateAsync("Invoice", Invoice(Id(customer), Today));
        var later = await CreateAsync("Invoice", Invoice(Id(customer), Today.AddDays(1)));
        var paid = await CreateAsync("Invoice", Invoice(Id(customer), Today));
        var payment = await CreateAsync("Payment", Payment(Id(customer), Id(paid), Today, 40));
        return new Ledger(Id(customer), await ReadAsync("Invoice", Id(invoice)), await ReadAsync("Invoice", Id(later)),
            await ReadAsync("Invoice", Id(paid)), await ReadAsync("Payment", Id(payment)));
    }

    /// <summary>The request a kind of write sends, against <paramref name="ledger"/>'s records.</summary>
    private static (string Path, object Body) Request(string kind, Ledger ledger, DateOnly today)
    {
        if (kind.StartsWith("batch ", StringComparison.Ordinal))
        {
            var (path, body) = Request(kind["batch ".Length..], ledger, today);
            var entity = path.StartsWith("invoice", StringComparison.Ordinal) ? "Invoice" : "Payment";
            var operation = kind.EndsWith("create", StringComparison.Ordinal) ? "create" : kind.EndsWith("delete", StringComparison.Ordinal) ? "delete" : "update";
            var item = new JsonObject { ["bId"] = "1", ["operation"] = operation, [entity] = Node(body) };
            if (kind.EndsWith("void", StringComparison.Ordinal))
            {
                item["optionsData"] = "void";
            }

            return ("batch", new { BatchItemRequest = new[] { item } });
        }

        var (invoice, payment) = (ledger.Invoice, ledger.Payment);
        return kind switch
        {
            "invoice create" => ("invoice", Invoice(ledger.CustomerId, today)),
            "invoice create without TxnDate" => ("invoice", Invoice(ledger.CustomerId, null)),
            "invoice full update" => ("invoice", With(invoice, "PrivateNote", "A full update")),
            "invoice sparse update" => ("invoice", Sparse(invoice, new { PrivateNote = "A sparse update" })),
            "invoice sparse update into the period" => ("invoice", Sparse(ledger.Later, new { TxnDate = Day(today) })),
            "invoice sparse update out of the period" => ("invoice", Sparse(invoice, new { TxnDate = Day(today.AddDays(1)) })),
            "invoice void" => ("invoice?operation=void", Sparse(invoice)),
            "invoice delete" => ("invoice?operation=delete", Sparse(invoice)),
            "payment create" => ("payment", Payment(ledger.CustomerId, Id(invoice), today)),
            "payment create without TxnDate" => ("payment", Payment(ledger.CustomerId, Id(invoice), null)),
            "payment full update" => ("payment", With(payment, "PrivateNote", "A full update")),
            "payment sparse update" => ("payment", Sparse(payment, new { PrivateNote = "A sparse update" })),
            "payment void" => ("payment?operation=update&include=void", Sparse(payment)),
            "payment delete" => ("payment?operation=delete", Sparse(payment)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of write."),
        };
    }

    private static JsonObject With(JsonObject record, string name, string value)
    {
        var body = record.DeepClone().AsObject();
        body[name] = value;
        return body;
    }

    /// <summary>
    /// Waits until every webhook of the setup is sent, so a write's own would be seen queued; answers the instant after
    /// which CDC would show a write's changes.
    /// </summary>
    private async Task<DateTimeOffset> SettleAsync()
    {
        await sandbox.AdvanceToNextWakeAsync();
        await sandbox.WaitForStateAsync(s => s["pending"]!["post"] is null && s["pending"]!["queuedEvents"]!.GetValue<int>() == 0, "the setup's webhooks to be sent");
        return sandbox.Time.GetUtcNow();
    }

    private async Task<JsonObject[]> ChangedSinceAsync(DateTimeOffset since)
    {
        var changedSince = Uri.EscapeDataString(since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        var (status, body, _) = await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, $"cdc?entities=Customer,Invoice,Payment&changedSince={changedSince}");
        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        return [.. body["CDCResponse"]![0]!["QueryResponse"]!.AsArray()
            .SelectMany(r => r!.AsObject().Where(p => p.Value is JsonArray).SelectMany(p => p.Value!.AsArray())).Select(r => r!.AsObject())];
    }

    /// <summary>What a refused write must leave as it was: each record's SyncToken, amounts and date, and the customer's balance.</summary>
    private async Task<string[]> StateAsync(Ledger ledger)
    {
        var records = new List<string>();
        foreach (var (entity, record) in new[] { ("Invoice", ledger.Invoice), ("Invoice", ledger.Later), ("Invoice", ledger.Paid), ("Payment", ledger.Payment) })
        {
            var read = await ReadAsync(entity, Id(record));
            records.Add($"{entity} {Id(read)}: SyncToken {Text(read["SyncToken"])}, TotalAmt {read["TotalAmt"]}, Balance {read["Balance"] ?? read["UnappliedAmt"]}, TxnDate {Text(read["TxnDate"])}");
        }

        records.Add($"Customer balance {(await ReadAsync("Customer", ledger.CustomerId))["Balance"]}");
        return [.. records];
    }

    [Theory]
    [MemberData(nameof(WriteKinds))]
    public async Task ApiWrite_OfATransactionDatedOnTheClosingDate_Is6210AccountPeriodClosed_AndChangesNothing(string kind)
    {
        var ledger = await LedgerAsync();
        var before = await StateAsync(ledger);
        (await CloseBooksAsync(Today)).ShouldBe(HttpStatusCode.OK);
        var since = await SettleAsync();
        var (path, body) = Request(kind, ledger, Today);

        var (status, answer, _) = await sandbox.WriteAsync(_access, Realm, path, body);

        JsonObject fault;
        if (path == "batch")
        {
            status.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
            fault = answer["BatchItemResponse"]!.AsArray().ShouldHaveSingleItem()!["Fault"]!.AsObject();
        }
        else
        {
            status.ShouldBe(HttpStatusCode.BadRequest, answer.ToJsonString());
            fault = answer["Fault"]!.AsObject();
        }

        Text(fault["type"]).ShouldBe("ValidationFault");
        var error = fault["Error"]!.AsArray().ShouldHaveSingleItem()!;
        (Text(error["code"]), Text(error["Message"]), Text(error["Detail"]), Text(error["element"]))
            .ShouldBe(("6210", "Account Period Closed", "Account Period Closed : The account period has closed.", "TxnDate"));
        (await StateAsync(ledger)).ShouldBe(before);
        (await ChangedSinceAsync(since)).ShouldBeEmpty();
        (await sandbox.StateAsync())["pending"]!["queuedEvents"]!.GetValue<int>().ShouldBe(0, "no webhook announces a refused write");
    }

    [Theory]
    [MemberData(nameof(WriteKinds))]
    public async Task ApiWrite_OfATransactionDatedTheDayAfterTheClosingDate_GoesThrough(string kind)
    {
        var ledger = await LedgerAsync();
        (await CloseBooksAsync(Today.AddDays(-1))).ShouldBe(HttpStatusCode.OK);
        var since = await SettleAsync();
        var (path, body) = Request(kind, ledger, Today);

        var (status, answer, _) = await sandbox.WriteAsync(_access, Realm, path, body);

        status.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        var written = path == "batch" ? answer["BatchItemResponse"]!.AsArray().ShouldHaveSingleItem()!.AsObject() : answer;
        written.ContainsKey("Fault").ShouldBeFalse(written.ToJsonString());
        (written.ContainsKey("Invoice") || written.ContainsKey("Payment")).ShouldBeTrue(written.ToJsonString());
        (await ChangedSinceAsync(since)).ShouldNotBeEmpty();
        (await sandbox.StateAsync())["pending"]!["queuedEvents"]!.GetValue<int>().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task ApiCreate_RefusedInTheClosedPeriod_TakesNoDocNumber()
    {
        var customerId = Id(await CreateAsync("Customer", new { DisplayName = $"Numbered {Guid.NewGuid():N}"[..17] }));
        var first = await CreateAsync("Invoice", Invoice(customerId, Today));
        (await CloseBooksAsync(Today)).ShouldBe(HttpStatusCode.OK);

        var (refused, answer, _) = await sandbox.WriteAsync(_access, Realm, "invoice", Invoice(customerId, Today));
        var next = await CreateAsync("Invoice", Invoice(customerId, Today.AddDays(1)));

        refused.ShouldBe(HttpStatusCode.BadRequest, answer.ToJsonString());
        int.Parse(Text(next["DocNumber"]), CultureInfo.InvariantCulture).ShouldBe(int.Parse(Text(first["DocNumber"]), CultureInfo.InvariantCulture) + 1);
    }

    [Fact]
    public async Task Batch_OfItemsInAndAfterTheClosedPeriod_RefusesEachClosedItemWithItsOwnFault_AndWritesTheOthers()
    {
        var ledger = await LedgerAsync();
        (await CloseBooksAsync(Today)).ShouldBe(HttpStatusCode.OK);

        var (status, answer, _) = await sandbox.WriteAsync(_access, Realm, "batch", new
        {
            BatchItemRequest = new object[]
            {
                new { bId = "closed-update", operation = "update", Invoice = Sparse(ledger.Invoice, new { PrivateNote = "Batched" }) },
                new { bId = "open-create", operation = "create", Invoice = Invoice(ledger.CustomerId, Today.AddDays(1)) },
                new { bId = "closed-void", operation = "update", optionsData = "void", Payment = Sparse(ledger.Payment) },
                new { bId = "open-update", operation = "update", Invoice = Sparse(ledger.Later, new { PrivateNote = "Batched" }) },
            },
        });

        status.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        var items = answer["BatchItemResponse"]!.AsArray().ToDictionary(i => Text(i!["bId"]), i => i!.AsObject());
        Text(items["closed-update"]["Fault"]!["Error"]![0]!["code"]).ShouldBe("6210");
        Text(items["closed-void"]["Fault"]!["Error"]![0]!["code"]).ShouldBe("6210");
        Text(items["open-create"]["Invoice"]!["TxnDate"]).ShouldBe(Day(Today.AddDays(1)));
        Text(items["open-update"]["Invoice"]!["PrivateNote"]).ShouldBe("Batched");
        Text((await ReadAsync("Invoice", Id(ledger.Invoice)))["SyncToken"]).ShouldBe(Text(ledger.Invoice["SyncToken"]));
        (await ReadAsync("Payment", Id(ledger.Payment)))["TotalAmt"]!.GetValue<decimal>().ShouldBe(40m);
    }

    [Fact]
    public async Task Payment_DatedAfterTheClosingDate_MayBeAppliedToAndVoidedFromAnInvoiceInTheClosedPeriod()
    {
        var ledger = await LedgerAsync();
        (await CloseBooksAsync(Today)).ShouldBe(HttpStatusCode.OK);

        var payment = await CreateAsync("Payment", Payment(ledger.CustomerId, Id(ledger.Invoice), Today.AddDays(1), 25));
        var applied = await ReadAsync("Invoice", Id(ledger.Invoice));
        var (voided, answer, _) = await sandbox.WriteAsync(_access, Realm, "payment?operation=update&include=void", Sparse(payment));
        var released = await ReadAsync("Invoice", Id(ledger.Invoice));

        applied["Balance"]!.GetValue<decimal>().ShouldBe(ledger.Invoice["Balance"]!.GetValue<decimal>() - 25);
        voided.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        released["Balance"]!.GetValue<decimal>().ShouldBe(ledger.Invoice["Balance"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task NameLists_AreNeverInAClosedPeriod_ACustomerItemAndAccountAreCreatedAndUpdated()
    {
        (await CloseBooksAsync(Today.AddDays(30))).ShouldBe(HttpStatusCode.OK);
        var suffix = Guid.NewGuid().ToString("N")[..8];

        var customer = await CreateAsync("Customer", new { DisplayName = "Listed " + suffix });
        var account = await CreateAsync("Account", new { Name = "Listed Income " + suffix, AccountType = "Income" });
        var item = await CreateAsync("Item", new { Name = "Listed Item " + suffix, Type = "Service", IncomeAccountRef = new { value = Id(account) } });

        foreach (var (entity, record, field) in new[] { ("Customer", customer, "Notes"), ("Account", account, "Description"), ("Item", item, "Description") })
        {
            var changes = Sparse(record);
            changes[field] = "Closed books do not close lists";
            var (status, answer, _) = await sandbox.WriteAsync(_access, Realm, entity.ToLowerInvariant(), changes);
            status.ShouldBe(HttpStatusCode.OK, $"{entity}: {answer.ToJsonString()}");
        }
    }

    [Fact]
    public async Task UserEdits_OfTransactionsInTheClosedPeriod_GoThrough_AsForAUserWithTheClosingDatePassword()
    {
        var ledger = await LedgerAsync();
        (await CloseBooksAsync(Today)).ShouldBe(HttpStatusCode.OK);

        var created = await UserAsync("invoice/create", Invoice(ledger.CustomerId, Today));
        var updated = await UserAsync($"invoice/{Id(ledger.Invoice)}/update", new { PrivateNote = "The bookkeeper's note" });
        var voided = await UserAsync($"invoice/{Id(ledger.Later)}/void", new { });
        var paymentDeleted = await UserAsync($"payment/{Id(ledger.Payment)}/delete", new { });
        var deleted = await UserAsync($"invoice/{Id(ledger.Paid)}/delete", new { });

        foreach (var (what, (status, answer)) in new[] { ("create", created), ("update", updated), ("void", voided), ("payment delete", paymentDeleted), ("delete", deleted) })
        {
            status.ShouldBe(HttpStatusCode.OK, $"{what}: {answer.ToJsonString()}");
        }

        Text((await ReadAsync("Invoice", Id(ledger.Invoice)))["PrivateNote"]).ShouldBe("The bookkeeper's note");
    }

    [Fact]
    public async Task PreferencesUpdate_SetsTheClosingDateAloneOrWithAutomatedSalesTax_AndClearsIt_PreferencesThenOmitsIt()
    {
        var (alone, aloneAnswer) = await UserAsync("preferences/update", new { AccountingInfoPrefs = new { BookCloseDate = "2026-10-31" } });
        var read = await PreferencesAsync();
        var (both, bothAnswer) = await UserAsync("preferences/update", new { TaxPrefs = new { PartnerTaxEnabled = true }, AccountingInfoPrefs = new { BookCloseDate = "2026-09-30" } });
        var readBoth = await PreferencesAsync();
        var (cleared, clearedAnswer) = await UserAsync("preferences/update", new { TaxPrefs = new { PartnerTaxEnabled = false }, AccountingInfoPrefs = new { BookCloseDate = (string?)null } });
        var readCleared = await PreferencesAsync();

        (alone, both, cleared).ShouldBe((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), $"{aloneAnswer.ToJsonString()} {bothAnswer.ToJsonString()} {clearedAnswer.ToJsonString()}");
        Text(aloneAnswer["Preferences"]!["AccountingInfoPrefs"]!["BookCloseDate"]).ShouldBe("2026-10-31");
        Text(read["AccountingInfoPrefs"]!["BookCloseDate"]).ShouldBe("2026-10-31");
        read["TaxPrefs"]!["PartnerTaxEnabled"]!.GetValue<bool>().ShouldBeFalse();
        Text(readBoth["AccountingInfoPrefs"]!["BookCloseDate"]).ShouldBe("2026-09-30");
        readBoth["TaxPrefs"]!["PartnerTaxEnabled"]!.GetValue<bool>().ShouldBeTrue();
        readCleared["AccountingInfoPrefs"]!.AsObject().ContainsKey("BookCloseDate").ShouldBeFalse();
        readCleared.ToJsonString().ShouldNotContain("null");
        readCleared["TaxPrefs"]!["PartnerTaxEnabled"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"AccountingInfoPrefs":{"BookCloseDate":"2026-13-01"}}""")]
    [InlineData("""{"AccountingInfoPrefs":{"BookCloseDate":"2026-10-31T00:00:00Z"}}""")]
    [InlineData("""{"AccountingInfoPrefs":{"BookCloseDate":""}}""")]
    [InlineData("""{"TaxPrefs":{"PartnerTaxEnabled":true},"AccountingInfoPrefs":{"BookCloseDate":"Oct 31 2026"}}""")]
    public async Task PreferencesUpdate_AMalformedClosingDate_IsRefusedSayingTheFormat_AndChangesNothing(string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await sandbox.Http.PostAsync($"{SandboxHost.BasePath}/_sandbox/companies/{Realm}/user/preferences/update", content, TestContext.Current.CancellationToken);
        var answer = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var preferences = await PreferencesAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, answer);
        answer.ShouldContain("yyyy-MM-dd");
        preferences["AccountingInfoPrefs"]!.AsObject().ContainsKey("BookCloseDate").ShouldBeFalse();
        preferences["TaxPrefs"]!["PartnerTaxEnabled"]!.GetValue<bool>().ShouldBeFalse();
    }

    /// <summary>One customer's records: an unpaid invoice and a paid one with its payment dated today, and one invoice dated tomorrow.</summary>
    private sealed record Ledger(string CustomerId, JsonObject Invoice, JsonObject Later, JsonObject Paid, JsonObject Payment);
}

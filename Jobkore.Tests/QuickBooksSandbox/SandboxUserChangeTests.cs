using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>Changes made as a QuickBooks user at {base}/_sandbox/companies/{realmId}/user/…, over real HTTP on a fake clock.</summary>
public sealed class SandboxUserChangeTests(SandboxHost sandbox) : IClassFixture<SandboxHost>, IAsyncLifetime
{
    private const string Realm = SandboxHost.AcmeRealm;
    private string _access = string.Empty;

    public async ValueTask InitializeAsync()
    {
        sandbox.Time.Advance(TimeSpan.FromMinutes(1));
        (_access, _) = await sandbox.ConnectAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Id(JsonNode? record) => record!["Id"]!.GetValue<string>();

    private static string Text(JsonNode? node) => node!.GetValue<string>();

    private async Task<JsonObject> CreateAsync(string entity, object body)
    {
        var (status, answer, _) = await sandbox.WriteAsync(_access, Realm, entity.ToLowerInvariant(), body);
        status.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        return answer[entity]!.AsObject();
    }

    private async Task<JsonObject> ReadAsync(string entity, string id) =>
        (await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, $"{entity.ToLowerInvariant()}/{id}")).Body[entity]!.AsObject();

    private Task<JsonObject> CustomerAsync(string prefix = "User") =>
        CreateAsync("Customer", new { DisplayName = $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 9)], CompanyName = "Kept Co" });

    private async Task<JsonObject> InvoiceAsync(string customerId, decimal amount = 100) => await CreateAsync("Invoice", new
    {
        CustomerRef = new { value = customerId },
        Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = amount, SalesItemLineDetail = new { TaxCodeRef = new { value = "TAX" } } } },
    });

    /// <summary>A user's change: POSTs JSON (or <paramref name="content"/>) and returns the status and answer.</summary>
    private async Task<(HttpStatusCode Status, JsonObject Body)> UserAsync(string path, object? body = null, HttpContent? content = null, HttpClient? client = null, string realm = Realm)
    {
        using var response = await (client ?? sandbox.Http).PostAsync($"{SandboxHost.BasePath}/_sandbox/companies/{realm}/user/{path}",
            content ?? JsonContent.Create(body ?? new { }, options: new System.Text.Json.JsonSerializerOptions()), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, (JsonNode.Parse(text) as JsonObject)!);
    }

    [Fact]
    public async Task AutomatedSalesTax_On_IgnoresABareTotalTax_HonoursOneWithItsTaxCode_AndOff_HonoursItAgain()
    {
        var customerId = Id(await CustomerAsync());
        object Invoice(object taxDetail) => new
        {
            CustomerRef = new { value = customerId },
            Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 100, SalesItemLineDetail = new { TaxCodeRef = new { value = "TAX" } } } },
            TxnTaxDetail = taxDetail,
        };

        var (on, preferences) = await UserAsync("preferences/update", new { TaxPrefs = new { PartnerTaxEnabled = true } });
        try
        {
            on.ShouldBe(HttpStatusCode.OK, preferences.ToJsonString());
            preferences["Preferences"]!["TaxPrefs"]!["PartnerTaxEnabled"]!.GetValue<bool>().ShouldBeTrue();
            (await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, "preferences")).Body["Preferences"]!["TaxPrefs"]!["PartnerTaxEnabled"]!.GetValue<bool>().ShouldBeTrue();

            var bare = await CreateAsync("Invoice", Invoice(new { TotalTax = 8.25 }));
            var withCode = await CreateAsync("Invoice", Invoice(new { TxnTaxCodeRef = new { value = "TAX" }, TotalTax = 8.25 }));

            (bare["TxnTaxDetail"]!["TotalTax"]!.GetValue<decimal>(), bare["TotalAmt"]!.GetValue<decimal>()).ShouldBe((8m, 108m), "QuickBooks' own 8%, not the 8.25 sent");
            (withCode["TxnTaxDetail"]!["TotalTax"]!.GetValue<decimal>(), withCode["TotalAmt"]!.GetValue<decimal>()).ShouldBe((8.25m, 108.25m));
            withCode["TxnTaxDetail"]!["TxnTaxCodeRef"]!["value"]!.GetValue<string>().ShouldBe("TAX");
        }
        finally
        {
            (await UserAsync("preferences/update", new { TaxPrefs = new { PartnerTaxEnabled = false } })).Status.ShouldBe(HttpStatusCode.OK);
        }

        var off = await CreateAsync("Invoice", Invoice(new { TotalTax = 8.25 }));
        (off["TxnTaxDetail"]!["TotalTax"]!.GetValue<decimal>(), off["TotalAmt"]!.GetValue<decimal>()).ShouldBe((8.25m, 108.25m));
        (await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, "preferences")).Body["Preferences"]!["TaxPrefs"]!["PartnerTaxEnabled"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"TaxPrefs":{"PartnerTaxEnabled":"yes"}}""")]
    [InlineData("""{"SalesFormsPrefs":{"AllowDiscount":false}}""")]
    public async Task PreferencesUpdate_AnythingButAutomatedSalesTaxOnOrOff_IsRefused_SayingWhatToSend(string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var (status, answer) = await UserAsync("preferences/update", content: content);

        status.ShouldBe(HttpStatusCode.BadRequest, answer.ToJsonString());
        answer.ToJsonString().ShouldContain("PartnerTaxEnabled");
        (await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, "preferences")).Body["Preferences"]!["TaxPrefs"]!["PartnerTaxEnabled"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task ClosingDate_RefusesEveryApiWriteOfATransactionDatedOnOrBeforeIt_With6210_ChangingNothing_WhileAUserCanStillEditOne()
    {
        var customerId = Id(await CustomerAsync());
        object Invoice(string date) => new
        {
            CustomerRef = new { value = customerId },
            TxnDate = date,
            Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 100, SalesItemLineDetail = new { TaxCodeRef = new { value = "TAX" } } } },
        };

        var closedInvoice = await CreateAsync("Invoice", Invoice("2026-10-15"));
        var openInvoice = await CreateAsync("Invoice", Invoice("2026-11-02"));
        var payment = await CreateAsync("Payment", new
        {
            CustomerRef = new { value = customerId }, TotalAmt = 10, TxnDate = "2026-10-20",
            Line = new object[] { new { Amount = 10, LinkedTxn = new object[] { new { TxnId = Id(closedInvoice), TxnType = "Invoice" } } } },
        });
        closedInvoice = await ReadAsync("Invoice", Id(closedInvoice));

        var (set, preferences) = await UserAsync("preferences/update", new { AccountingInfoPrefs = new { BookCloseDate = "2026-10-31" } });
        try
        {
            set.ShouldBe(HttpStatusCode.OK, preferences.ToJsonString());
            Text(preferences["Preferences"]!["AccountingInfoPrefs"]!["BookCloseDate"]).ShouldBe("2026-10-31");
            Text((await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, "preferences")).Body["Preferences"]!["AccountingInfoPrefs"]!["BookCloseDate"]).ShouldBe("2026-10-31");

            var closed = Id(closedInvoice);
            var token = Text(closedInvoice["SyncToken"]);
            var refused = new (string Path, object Body)[]
            {
                ("invoice", new { Id = closed, SyncToken = token, sparse = true, PrivateNote = "In a closed period" }),
                ("invoice?operation=void", new { Id = closed, SyncToken = token }),
                ("invoice?operation=delete", new { Id = closed, SyncToken = token }),
                ("payment?operation=update&include=void", new { Id = Id(payment), SyncToken = Text(payment["SyncToken"]), sparse = true }),
                ("invoice", new { Id = Id(openInvoice), SyncToken = Text(openInvoice["SyncToken"]), sparse = true, TxnDate = "2026-10-31" }),
                ("invoice", Invoice("2026-10-31")),
            };
            foreach (var (path, body) in refused)
            {
                var (status, answer, _) = await sandbox.WriteAsync(_access, Realm, path, body);
                status.ShouldBe(HttpStatusCode.BadRequest, $"{path}: {answer.ToJsonString()}");
                var error = answer["Fault"]!["Error"]![0]!;
                (Text(error["code"]), Text(error["Message"]), Text(error["element"])).ShouldBe(("6210", "Account Period Closed", "TxnDate"), path);
            }

            var batch = await sandbox.WriteAsync(_access, Realm, "batch", new
            {
                BatchItemRequest = new object[] { new { bId = "1", operation = "update", Invoice = new { Id = closed, SyncToken = token, sparse = true, PrivateNote = "Batched" } } },
            });
            Text(batch.Body["BatchItemResponse"]![0]!["Fault"]!["Error"]![0]!["code"]).ShouldBe("6210");

            var unchanged = await ReadAsync("Invoice", closed);
            (Text(unchanged["SyncToken"]), unchanged["TotalAmt"]!.GetValue<decimal>(), unchanged["Balance"]!.GetValue<decimal>())
                .ShouldBe((token, closedInvoice["TotalAmt"]!.GetValue<decimal>(), closedInvoice["Balance"]!.GetValue<decimal>()));
            (await ReadAsync("Payment", Id(payment)))["TotalAmt"]!.GetValue<decimal>().ShouldBe(10m);
            Text((await ReadAsync("Invoice", Id(openInvoice)))["TxnDate"]).ShouldBe("2026-11-02");
            (await CreateAsync("Invoice", Invoice("2026-11-01")))["TxnDate"]!.GetValue<string>().ShouldBe("2026-11-01");

            var (edited, editedAnswer) = await UserAsync($"invoice/{closed}/update", new { PrivateNote = "The bookkeeper, with the closing-date password" });
            edited.ShouldBe(HttpStatusCode.OK, editedAnswer.ToJsonString());
        }
        finally
        {
            (await UserAsync("preferences/update", new { AccountingInfoPrefs = new { BookCloseDate = (string?)null } })).Status.ShouldBe(HttpStatusCode.OK);
        }

        (await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, "preferences")).Body["Preferences"]!["AccountingInfoPrefs"]!.AsObject().ContainsKey("BookCloseDate").ShouldBeFalse();
        var reopened = await ReadAsync("Invoice", Id(closedInvoice));
        var (voided, voidAnswer, _) = await sandbox.WriteAsync(_access, Realm, "payment?operation=update&include=void", new { Id = Id(payment), SyncToken = Text(payment["SyncToken"]), sparse = true });
        voided.ShouldBe(HttpStatusCode.OK, voidAnswer.ToJsonString());
        (await ReadAsync("Invoice", Id(reopened)))["Balance"]!.GetValue<decimal>().ShouldBe(reopened["TotalAmt"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData("""{"AccountingInfoPrefs":{"BookCloseDate":"31/10/2026"}}""")]
    [InlineData("""{"AccountingInfoPrefs":{"BookCloseDate":20261031}}""")]
    [InlineData("""{"AccountingInfoPrefs":{"TrackDepartments":true}}""")]
    public async Task PreferencesUpdate_AClosingDateNotAsYyyyMmDd_IsRefused_SayingTheFormat(string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var (status, answer) = await UserAsync("preferences/update", content: content);

        status.ShouldBe(HttpStatusCode.BadRequest, answer.ToJsonString());
        answer.ToJsonString().ShouldContain("yyyy-MM-dd");
        (await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, "preferences")).Body["Preferences"]!["AccountingInfoPrefs"]!.AsObject().ContainsKey("BookCloseDate").ShouldBeFalse();
    }

    [Fact]
    public async Task Create_ACustomerAddedAtQuickBooksScreens_IsStoredCompleted_AndASecondOfTheSameName_IsRefusedWith6240()
    {
        var name = $"Added {Guid.NewGuid():N}"[..14];

        var (status, body) = await UserAsync("customer/create", new
        {
            DisplayName = name,
            PrimaryEmailAddr = new { Address = "added@example.com" },
            BillAddr = new { Line1 = "1 Main St", PostalCode = "62701" },
        });

        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        var created = body["Customer"]!;
        Text(created["SyncToken"]).ShouldBe("0");
        var read = await ReadAsync("Customer", Id(created));
        (Text(read["DisplayName"]), Text(read["PrimaryEmailAddr"]!["Address"]), Text(read["BillAddr"]!["PostalCode"]), read["Active"]!.GetValue<bool>())
            .ShouldBe((name, "added@example.com", "62701", true));

        var (again, refused) = await UserAsync("customer/create", new { DisplayName = name });
        again.ShouldBe(HttpStatusCode.BadRequest, refused.ToJsonString());
        refused.ToJsonString().ShouldContain("6240");
    }

    [Fact]
    public async Task Create_WithFieldsQuickBooksKeeps_IsRefused()
    {
        var (status, body) = await UserAsync("customer/create", new { Id = "999", DisplayName = "Never created" });

        status.ShouldBe(HttpStatusCode.BadRequest, body.ToJsonString());
        body.ToJsonString().ShouldContain("Id cannot be set");
    }

    [Fact]
    public async Task Update_SetsTheFieldsSent_NullRemovesOne_WithoutASyncToken_BumpingSyncTokenAndLastUpdatedTime()
    {
        var customer = await CustomerAsync();
        sandbox.Time.Advance(TimeSpan.FromSeconds(5));

        var (status, body) = await UserAsync($"customer/{Id(customer)}/update", new JsonObject { ["DisplayName"] = "Renamed " + Id(customer), ["CompanyName"] = null });

        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        var changed = body["Customer"]!;
        (Text(changed["DisplayName"]), Text(changed["SyncToken"]), changed.AsObject().ContainsKey("CompanyName")).ShouldBe(("Renamed " + Id(customer), "1", false));
        Text(changed["MetaData"]!["LastUpdatedTime"]).ShouldBe(sandbox.Time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
        Text(changed["MetaData"]!["CreateTime"]).ShouldBe(Text(customer["MetaData"]!["CreateTime"]));
        body["time"].ShouldNotBeNull();
        var read = await ReadAsync("Customer", Id(customer));
        (Text(read["DisplayName"]), Text(read["FullyQualifiedName"])).ShouldBe(("Renamed " + Id(customer), "Renamed " + Id(customer)));
    }

    [Fact]
    public async Task Update_InvoiceLines_ReplacesThem_AndRecomputesTaxTotalAndBalance()
    {
        var invoice = await InvoiceAsync(Id(await CustomerAsync()));

        var (status, body) = await UserAsync($"invoice/{Id(invoice)}/update", new
        {
            Line = new object[]
            {
                new { DetailType = "SalesItemLineDetail", Amount = 200, SalesItemLineDetail = new { TaxCodeRef = new { value = "TAX" } } },
                new { DetailType = "SalesItemLineDetail", Amount = 50, SalesItemLineDetail = new { } },
            },
        });

        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        var changed = body["Invoice"]!;
        (changed["TotalAmt"]!.GetValue<decimal>(), changed["Balance"]!.GetValue<decimal>(), changed["TxnTaxDetail"]!["TotalTax"]!.GetValue<decimal>()).ShouldBe((266m, 266m, 16m));
        changed["Line"]!.AsArray().Count.ShouldBe(3);
        Text(changed["SyncToken"]).ShouldBe("1");
    }

    [Fact]
    public async Task Update_FieldsQuickBooksKeeps_AreRefused_AndNothingChanges()
    {
        var customer = await CustomerAsync();

        var (status, body) = await UserAsync($"customer/{Id(customer)}/update", new { SyncToken = "7", DisplayName = "Never" });

        status.ShouldBe(HttpStatusCode.BadRequest);
        Text(body["Fault"]!["Error"]![0]!["Detail"]).ShouldContain("SyncToken cannot be set");
        Text((await ReadAsync("Customer", Id(customer)))["SyncToken"]).ShouldBe("0");
    }

    [Fact]
    public async Task Delete_InvoiceIsDeletedWithATombstone_CustomerAndItemAreMadeInactive_ACustomerWithABalanceIsRefused()
    {
        var owing = await CustomerAsync();
        var invoice = await InvoiceAsync(Id(owing));
        var idle = await CustomerAsync();
        var item = await CreateAsync("Item", new { Name = "User item " + Guid.NewGuid().ToString("N")[..8], Type = "NonInventory" });
        var since = sandbox.Time.GetUtcNow();

        var refused = await UserAsync($"customer/{Id(owing)}/delete");
        var deletedInvoice = await UserAsync($"invoice/{Id(invoice)}/delete");
        var inactiveCustomer = await UserAsync($"customer/{Id(idle)}/delete");
        var inactiveItem = await UserAsync($"item/{Id(item)}/inactive");

        (refused.Status, Text(refused.Body["Fault"]!["Error"]![0]!["code"])).ShouldBe((HttpStatusCode.BadRequest, "6000"));
        (deletedInvoice.Status, Text(deletedInvoice.Body["Invoice"]!["status"])).ShouldBe((HttpStatusCode.OK, "Deleted"));
        (await sandbox.ApiAsync(_access, HttpMethod.Get, Realm, $"invoice/{Id(invoice)}")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (inactiveCustomer.Body["Customer"]!["Active"]!.GetValue<bool>(), Text(inactiveCustomer.Body["Customer"]!["SyncToken"])).ShouldBe((false, "1"));
        inactiveItem.Body["Item"]!["Active"]!.GetValue<bool>().ShouldBeFalse();
        var (_, cdc, _) = await sandbox.ApiAsync(_access, HttpMethod.Get, Realm,
            $"cdc?entities=Invoice&changedSince={Uri.EscapeDataString(since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))}");
        Text(cdc["CDCResponse"]![0]!["QueryResponse"]![0]!["Invoice"]!.AsArray().ShouldHaveSingleItem()!["status"]).ShouldBe("Deleted");
    }

    [Fact]
    public async Task Void_Invoice_ZeroesItsAmounts()
    {
        var invoice = await InvoiceAsync(Id(await CustomerAsync()));

        var (status, body) = await UserAsync($"invoice/{Id(invoice)}/void");

        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        (body["Invoice"]!["TotalAmt"]!.GetValue<decimal>(), Text(body["Invoice"]!["PrivateNote"]), Text(body["Invoice"]!["SyncToken"])).ShouldBe((0m, "Voided", "1"));
    }

    [Fact]
    public async Task Merge_MovesInvoicesAndPaymentsToTheSurvivor_TheMergedCustomerIsInactiveAndMarkedDeleted()
    {
        var merged = await CustomerAsync("Merged");
        var survivor = await CustomerAsync("Survivor");
        var invoice = await InvoiceAsync(Id(merged), 100);
        var payment = await CreateAsync("Payment", new
        {
            CustomerRef = new { value = Id(merged) }, TotalAmt = 40, Line = new object[] { new { Amount = 40, LinkedTxn = new object[] { new { TxnId = Id(invoice), TxnType = "Invoice" } } } },
        });

        var (status, body) = await UserAsync($"customer/{Id(merged)}/merge?into={Id(survivor)}");

        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        (Id(body["Customer"]), body["Customer"]!["Balance"]!.GetValue<decimal>(), Text(body["Customer"]!["SyncToken"])).ShouldBe((Id(survivor), 68m, "1"));
        var gone = await ReadAsync("Customer", Id(merged));
        (Text(gone["DisplayName"]), gone["Active"]!.GetValue<bool>(), gone["Balance"]!.GetValue<decimal>()).ShouldBe((Text(merged["DisplayName"]) + " (deleted)", false, 0m));
        var movedInvoice = await ReadAsync("Invoice", Id(invoice));
        var movedPayment = await ReadAsync("Payment", Id(payment));
        (Text(movedInvoice["CustomerRef"]!["value"]), Text(movedPayment["CustomerRef"]!["value"])).ShouldBe((Id(survivor), Id(survivor)));
        int.Parse(Text(movedInvoice["SyncToken"]), CultureInfo.InvariantCulture).ShouldBeGreaterThan(int.Parse(Text(invoice["SyncToken"]), CultureInfo.InvariantCulture));
        Text(movedPayment["SyncToken"]).ShouldBe("1");
        (await UserAsync($"customer/{Id(survivor)}/merge?into={Id(survivor)}")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await UserAsync($"customer/{Id(survivor)}/merge")).Body["Fault"]!["Error"]![0]!["element"]!.GetValue<string>().ShouldBe("into");
    }

    [Fact]
    public async Task Changes_NotSentAsJson_Are415_UnknownRecordIs610_UnknownEntityOrRealmIs404()
    {
        var customer = await CustomerAsync();

        var form = await UserAsync($"customer/{Id(customer)}/delete", content: new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }));
        var missing = await UserAsync("invoice/999999/void");
        var vendor = await UserAsync("vendor/1/delete");
        var realm = await UserAsync($"customer/{Id(customer)}/delete", realm: "1234");

        form.Status.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await ReadAsync("Customer", Id(customer)))["Active"]!.GetValue<bool>().ShouldBeTrue();
        (missing.Status, Text(missing.Body["Fault"]!["Error"]![0]!["code"])).ShouldBe((HttpStatusCode.BadRequest, "610"));
        vendor.Status.ShouldBe(HttpStatusCode.NotFound);
        realm.Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task InspectionPage_HasLabelledControlsPerRecord_AndItsScriptIsServedFromTheSandbox()
    {
        var customer = await CustomerAsync();
        var ct = TestContext.Current.CancellationToken;

        var page = await sandbox.Http.GetStringAsync($"{SandboxHost.BasePath}/_sandbox/companies/{Realm}/view", ct);
        using var script = await sandbox.Http.GetAsync($"{SandboxHost.BasePath}/_sandbox/inspection.js", ct);

        page.ShouldContain($"data-action=\"user/customer/{Id(customer)}/update\"");
        page.ShouldContain($"<label class=\"sr-only\" for=\"user-customer-{Id(customer)}-updateDisplayName\">Display name of customer {Text(customer["DisplayName"])}</label>");
        page.ShouldContain($"aria-label=\"Make customer {Text(customer["DisplayName"])} inactive\"");
        page.ShouldContain($"<label class=\"sr-only\" for=\"merge-{Id(customer)}\">");
        page.ShouldContain(":focus-visible{outline:3px solid");
        page.ShouldContain("role=\"status\"");
        page.ShouldContain("<script src=\"../../../_sandbox/inspection.js\"></script>");
        script.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        var js = Encoding.UTF8.GetString(await script.Content.ReadAsByteArrayAsync(ct));
        js.ShouldContain("'Content-Type': 'application/json'");
    }
}

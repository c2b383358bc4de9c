using System.Net;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>The Accounting API's shapes and the business rules a sync meets (issue rules 5, 6, 9, 13; docs/quickbooks-api.md §2, §4, §5), over real HTTP.</summary>
public sealed class SandboxAccountingTests(SandboxHost sandbox) : IClassFixture<SandboxHost>, IAsyncLifetime
{
    private const string Realm = SandboxHost.AcmeRealm;
    private string _access = string.Empty;

    public async ValueTask InitializeAsync() => (_access, _) = await sandbox.ConnectAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> Post(string path, object body) =>
        sandbox.ApiAsync(_access, HttpMethod.Post, Realm, path, body);

    private Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> Get(string path) =>
        sandbox.ApiAsync(_access, HttpMethod.Get, Realm, path);

    private static string Code(JsonObject body) => body["Fault"]!["Error"]![0]!["code"]!.GetValue<string>();

    private async Task<string> AccountIdAsync(string name) =>
        (await Get($"query?query={Uri.EscapeDataString($"select * from Account where Name = '{name}'")}")).Body["QueryResponse"]!["Account"]![0]!["Id"]!.GetValue<string>();

    private async Task<JsonObject> CustomerAsync(string name)
    {
        var (status, body, _) = await Post("customer?minorversion=75&requestid=" + Guid.NewGuid().ToString("N"), new { DisplayName = name });
        return body["Customer"] as JsonObject ?? throw new InvalidOperationException($"Creating customer {name} answered {status}: {body.ToJsonString()}");
    }

    private async Task<JsonObject> ServiceItemAsync(string name) =>
        (JsonObject)(await Post("item?requestid=" + Guid.NewGuid().ToString("N"), new { Name = name, Type = "Service", UnitPrice = 100, IncomeAccountRef = new { value = await AccountIdAsync("Services") } })).Body["Item"]!;

    [Fact]
    public async Task CreateCustomer_AnswersLikeQbo_WrappedWithStringIdsMetaDataAndTime()
    {
        var (status, body, response) = await Post("customer?minorversion=75&requestid=c-shape", new { DisplayName = "Shape Test", PrimaryEmailAddr = new { Address = "s@example.com" } });

        status.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("intuit_tid").Single().ShouldNotBeNullOrEmpty();
        var customer = body["Customer"]!.AsObject();
        customer["Id"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        customer["SyncToken"]!.GetValue<string>().ShouldBe("0");
        customer["domain"]!.GetValue<string>().ShouldBe("QBO");
        customer["sparse"]!.GetValue<bool>().ShouldBeFalse();
        customer["Active"]!.GetValue<bool>().ShouldBeTrue();
        customer["FullyQualifiedName"]!.GetValue<string>().ShouldBe("Shape Test");
        customer["MetaData"]!["CreateTime"].ShouldNotBeNull();
        body["time"]!.GetValue<string>().ShouldContain("T");
    }

    [Fact]
    public async Task CreateCustomer_NameOfASeededVendor_Is6240()
    {
        var (status, body, _) = await Post("customer?requestid=c-vendor", new { DisplayName = "bob's burgers" });

        status.ShouldBe(HttpStatusCode.BadRequest);
        Code(body).ShouldBe("6240");
        body["Fault"]!["type"]!.GetValue<string>().ShouldBe("ValidationFault");
        body["Fault"]!["Error"]![0]!["Detail"]!.GetValue<string>().ShouldContain("Another customer, vendor or employee is already using this");
    }

    [Fact]
    public async Task UpdateCustomer_Renamed_FreesTheOldNameAndTakesTheNewOne()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var customer = await CustomerAsync("Before " + suffix);
        var renamed = await Post("customer", new { Id = customer["Id"]!.GetValue<string>(), SyncToken = customer["SyncToken"]!.GetValue<string>(), sparse = true, DisplayName = "After " + suffix });
        renamed.Status.ShouldBe(HttpStatusCode.OK);

        Code((await Post("customer", new { DisplayName = "after " + suffix })).Body).ShouldBe("6240");
        (await Post("customer", new { DisplayName = "Before " + suffix })).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SeededCustomer_WithADemoClientsName_IsFoundByQuery()
    {
        var (_, body, _) = await Get($"query?query={Uri.EscapeDataString(@"select * from Customer where DisplayName = 'Maria O\'Brien'")}");

        body["QueryResponse"]!["Customer"]!.AsArray().Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("Harbor Lofts: Unit 4")]
    [InlineData("Tab\there")]
    [InlineData("New\nline")]
    public async Task CreateCustomer_ColonTabOrNewline_IsAValidationFault(string name)
    {
        var (status, body, _) = await Post("customer?requestid=" + Guid.NewGuid().ToString("N"), new { DisplayName = name });

        status.ShouldBe(HttpStatusCode.BadRequest);
        Code(body).ShouldBe("6000");
        body["Fault"]!["Error"]![0]!["element"]!.GetValue<string>().ShouldBe("DisplayName");
    }

    [Fact]
    public async Task CreateCustomer_NoName_Is2020()
    {
        var (_, body, _) = await Post("customer?requestid=c-noname", new { CompanyName = "Nameless" });

        Code(body).ShouldBe("2020");
    }

    [Fact]
    public async Task SameRequestIdTwice_ReplaysTheFirstAnswer_AndCreatesOneRecord()
    {
        var first = await Post("customer?requestid=replay-1", new { DisplayName = "Replay Customer" });
        var second = await Post("customer?requestid=replay-1", new { DisplayName = "Replay Customer" });
        var (_, count, _) = await Get($"query?query={Uri.EscapeDataString("select count(*) from Customer where DisplayName = 'Replay Customer'")}");

        second.Status.ShouldBe(HttpStatusCode.OK);
        second.Body["Customer"]!["Id"]!.GetValue<string>().ShouldBe(first.Body["Customer"]!["Id"]!.GetValue<string>());
        count["QueryResponse"]!["totalCount"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task SparseUpdate_ChangesOnlyWhatWasSent_AndBumpsSyncToken_StaleTokenIs5010()
    {
        var customer = await CustomerAsync("Sparse Person");
        var id = customer["Id"]!.GetValue<string>();

        var (status, body, _) = await Post("customer?requestid=sparse-1", new { Id = id, SyncToken = "0", sparse = true, CompanyName = "Sparse Co" });
        var stale = await Post("customer?requestid=sparse-2", new { Id = id, SyncToken = "0", sparse = true, CompanyName = "Late Co" });

        status.ShouldBe(HttpStatusCode.OK);
        body["Customer"]!["SyncToken"]!.GetValue<string>().ShouldBe("1");
        body["Customer"]!["CompanyName"]!.GetValue<string>().ShouldBe("Sparse Co");
        body["Customer"]!["DisplayName"]!.GetValue<string>().ShouldBe("Sparse Person");
        Code(stale.Body).ShouldBe("5010");
    }

    [Fact]
    public async Task Read_UnknownId_Is610()
    {
        var (status, body, _) = await Get("invoice/99999");

        status.ShouldBe(HttpStatusCode.BadRequest);
        Code(body).ShouldBe("610");
    }

    [Fact]
    public async Task CreateItem_ServiceWithoutIncomeAccount_Is2020_WithAnInactiveAccountIs2500_NameTakenIs6240()
    {
        var missing = await Post("item?requestid=i-1", new { Name = "No Account", Type = "Service" });
        var account = await Post("account?requestid=i-2", new { Name = "Old Income", AccountType = "Income" });
        var accountId = account.Body["Account"]!["Id"]!.GetValue<string>();
        await Post("account?requestid=i-3", new { Id = accountId, SyncToken = "0", sparse = true, Active = false });
        var inactive = await Post("item?requestid=i-4", new { Name = "Inactive Account Item", Type = "Service", IncomeAccountRef = new { value = accountId } });
        await ServiceItemAsync("Unique Item");
        var duplicate = await Post("item?requestid=i-5", new { Name = "UNIQUE ITEM", Type = "Service", IncomeAccountRef = new { value = await AccountIdAsync("Services") } });

        Code(missing.Body).ShouldBe("2020");
        Code(inactive.Body).ShouldBe("2500");
        Code(duplicate.Body).ShouldBe("6240");
    }

    [Fact]
    public async Task CreateInvoice_ComputesLinesTaxSubtotalTotalAndBalance()
    {
        var customer = await CustomerAsync("Invoice Math");
        var item = await ServiceItemAsync("Math Service");
        var (status, body, _) = await Post("invoice?requestid=inv-math", new
        {
            CustomerRef = new { value = customer["Id"]!.GetValue<string>() },
            DocNumber = "MATH-1",
            Line = new object[]
            {
                new { DetailType = "SalesItemLineDetail", SalesItemLineDetail = new { ItemRef = new { value = item["Id"]!.GetValue<string>() }, Qty = 2, UnitPrice = 45.5, TaxCodeRef = new { value = "TAX" } } },
                new { DetailType = "SalesItemLineDetail", Amount = 35, SalesItemLineDetail = new { ItemRef = new { value = item["Id"]!.GetValue<string>() } } },
            },
        });

        status.ShouldBe(HttpStatusCode.OK);
        var invoice = body["Invoice"]!;
        var lines = invoice["Line"]!.AsArray();
        lines.Count.ShouldBe(3);
        lines[0]!["Amount"]!.GetValue<decimal>().ShouldBe(91m);
        lines[1]!["SalesItemLineDetail"]!["TaxCodeRef"]!["value"]!.GetValue<string>().ShouldBe("NON");
        lines[2]!["DetailType"]!.GetValue<string>().ShouldBe("SubTotalLineDetail");
        lines[2]!["Amount"]!.GetValue<decimal>().ShouldBe(126m);
        invoice["TxnTaxDetail"]!["TotalTax"]!.GetValue<decimal>().ShouldBe(7.28m); // 8% of 91.00
        invoice["TotalAmt"]!.GetValue<decimal>().ShouldBe(133.28m);
        invoice["Balance"]!.GetValue<decimal>().ShouldBe(133.28m);
        invoice["DueDate"].ShouldNotBeNull();
    }

    [Fact]
    public async Task InvoiceLine_WhoseAmountIsNotQtyTimesUnitPrice_IsRefusedWith6070_AndOneRoundedHalfUpIsTaken()
    {
        var customer = (await CustomerAsync("Line Math"))["Id"]!.GetValue<string>();
        object Invoice(string number, decimal qty, decimal price, decimal amount) => new
        {
            CustomerRef = new { value = customer },
            DocNumber = number,
            Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = amount, SalesItemLineDetail = new { Qty = qty, UnitPrice = price } } },
        };

        var (status, body, _) = await Post("invoice?requestid=line-math-1", Invoice("LM-1", 7m, 225m, 1000m));
        status.ShouldBe(HttpStatusCode.BadRequest);
        var error = body["Fault"]!["Error"]![0]!;
        ((string)error["code"]!).ShouldBe("6070");
        ((string)error["Message"]!).ShouldBe("Amount is not equal to UnitPrice * Qty");
        ((string)error["Detail"]!).ShouldBe("Amount is not equal to UnitPrice * Qty. Supplied value:1,000");
        var stored = await Get("query?query=" + Uri.EscapeDataString("select * from Invoice where DocNumber = 'LM-1'"));
        stored.Body["QueryResponse"]!["Invoice"].ShouldBeNull("a refused invoice is not stored");

        // 128.35 × 14.50 = 1,861.075: QuickBooks rounds half up, so 1,861.08 is the line's amount and 1,861.07 is refused.
        (await Post("invoice?requestid=line-math-2", Invoice("LM-2", 128.35m, 14.50m, 1861.07m))).Status.ShouldBe(HttpStatusCode.BadRequest);
        var taken = await Post("invoice?requestid=line-math-3", Invoice("LM-3", 128.35m, 14.50m, 1861.08m));
        taken.Status.ShouldBe(HttpStatusCode.OK, taken.Body.ToJsonString());
        taken.Body["Invoice"]!["TotalAmt"]!.GetValue<decimal>().ShouldBe(1861.08m);
    }

    [Fact]
    public async Task CreateInvoice_IntuitsSampleLines_GiveTheSampleTotals_AndADiscountComesOffTheSubtotal()
    {
        var customer = (await CustomerAsync("Sample Arithmetic"))["Id"]!.GetValue<string>();
        object Taxed(decimal amount) => new { DetailType = "SalesItemLineDetail", Amount = amount, SalesItemLineDetail = new { TaxCodeRef = new { value = "TAX" } } };

        // qbo-samples/invoice.json: 275 + 12.75 + 47.5 = 335.25, 8 % tax 26.82, TotalAmt 362.07.
        var sample = await Post("invoice?requestid=inv-sample", new { CustomerRef = new { value = customer }, Line = new[] { Taxed(275m), Taxed(12.75m), Taxed(47.5m) } });
        var discounted = await Post("invoice?requestid=inv-discount", new
        {
            CustomerRef = new { value = customer },
            Line = new object[]
            {
                new { DetailType = "SalesItemLineDetail", Amount = 100, SalesItemLineDetail = new { } },
                new { DetailType = "DiscountLineDetail", DiscountLineDetail = new { PercentBased = true, DiscountPercent = 10 } },
            },
        });

        sample.Body["Invoice"]!["TxnTaxDetail"]!["TotalTax"]!.GetValue<decimal>().ShouldBe(26.82m);
        sample.Body["Invoice"]!["TotalAmt"]!.GetValue<decimal>().ShouldBe(362.07m);
        discounted.Body["Invoice"]!["Line"]![1]!["Amount"]!.GetValue<decimal>().ShouldBe(10m);
        discounted.Body["Invoice"]!["TotalAmt"]!.GetValue<decimal>().ShouldBe(90m);
    }

    [Fact]
    public async Task CreateCustomer_SameNameTenTimesAtOnce_ExactlyOneIsCreated()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Post($"customer?requestid=race-{i}", new { DisplayName = "Race Condition Plumbing" })));

        attempts.Count(a => a.Status == HttpStatusCode.OK).ShouldBe(1);
        attempts.Where(a => a.Status != HttpStatusCode.OK).Select(a => Code(a.Body)).ShouldAllBe(code => code == "6240");
    }

    [Fact]
    public async Task CreateInvoice_ExplicitTotalTax_IsHonouredAsAnOverride()
    {
        var customer = await CustomerAsync("Tax Override");
        var (_, body, _) = await Post("invoice?requestid=inv-tax", new
        {
            CustomerRef = new { value = customer["Id"]!.GetValue<string>() },
            Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 100, SalesItemLineDetail = new { TaxCodeRef = new { value = "TAX" } } } },
            TxnTaxDetail = new { TotalTax = 8.25 },
        });

        body["Invoice"]!["TotalAmt"]!.GetValue<decimal>().ShouldBe(108.25m);
    }

    [Fact]
    public async Task CreateInvoice_MissingCustomerOrLines_Is2020_UnknownCustomerIs2500()
    {
        var noCustomer = await Post("invoice?requestid=inv-nc", new { Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 1, SalesItemLineDetail = new { } } } });
        var customer = (await CustomerAsync("Lineless"))["Id"]!.GetValue<string>();
        var noLines = await Post("invoice?requestid=inv-nl", new { CustomerRef = new { value = customer }, Line = Array.Empty<object>() });
        var unknown = await Post("invoice?requestid=inv-uc", new { CustomerRef = new { value = "424242" }, Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 1, SalesItemLineDetail = new { } } } });

        Code(noCustomer.Body).ShouldBe("2020");
        Code(noLines.Body).ShouldBe("2020");
        Code(unknown.Body).ShouldBe("2500");
    }

    [Fact]
    public async Task CreateInvoice_DocNumberUsedIs6140_UnlessAllowDuplicateDocNum_TooLongIsRefused()
    {
        var customer = (await CustomerAsync("Doc Numbers"))["Id"]!.GetValue<string>();
        object Invoice(string number) => new { CustomerRef = new { value = customer }, DocNumber = number, Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 10, SalesItemLineDetail = new { } } } };

        await Post("invoice?requestid=doc-1", Invoice("DUP-1"));
        var duplicate = await Post("invoice?requestid=doc-2", Invoice("DUP-1"));
        var allowed = await Post("invoice?include=allowduplicatedocnum&requestid=doc-3", Invoice("DUP-1"));
        var tooLong = await Post("invoice?requestid=doc-4", Invoice("1234567890123456789012"));

        Code(duplicate.Body).ShouldBe("6140");
        allowed.Status.ShouldBe(HttpStatusCode.OK);
        tooLong.Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CreateInvoice_Over750TaxableLinesOrALineOver10Digits_IsABusinessValidationFault_800UntaxedLinesAreFine()
    {
        var customer = (await CustomerAsync("Many Lines"))["Id"]!.GetValue<string>();
        object Line(bool taxable, decimal amount) => new { DetailType = "SalesItemLineDetail", Amount = amount, SalesItemLineDetail = new { TaxCodeRef = new { value = taxable ? "TAX" : "NON" } } };
        object Invoice(IEnumerable<object> lines) => new { CustomerRef = new { value = customer }, Line = lines.ToArray() };

        var taxed = await Post("invoice?requestid=" + Guid.NewGuid().ToString("N"), Invoice(Enumerable.Range(1, 751).Select(i => Line(i == 1, 1m))));
        var huge = await Post("invoice?requestid=" + Guid.NewGuid().ToString("N"), Invoice([Line(false, 10_000_000_000m)]));
        var untaxed = await Post("invoice?requestid=" + Guid.NewGuid().ToString("N"), Invoice(Enumerable.Range(1, 800).Select(_ => Line(false, 1m))));
        var taxed750 = await Post("invoice?requestid=" + Guid.NewGuid().ToString("N"), Invoice(Enumerable.Range(1, 750).Select(_ => Line(true, 9_999_999_999.99m))));

        Code(taxed.Body).ShouldBe("6000");
        taxed.Body["Fault"]!["Error"]![0]!["Detail"]!.GetValue<string>().ShouldBe("Business Validation Error: An invoice with taxable lines can have at most 750 lines.");
        Code(huge.Body).ShouldBe("6000");
        untaxed.Status.ShouldBe(HttpStatusCode.OK);
        untaxed.Body["Invoice"]!["TotalAmt"]!.GetValue<decimal>().ShouldBe(800m);
        taxed750.Status.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<JsonObject> InvoiceBodyAsync(string customerName) => new()
    {
        ["CustomerRef"] = new JsonObject { ["value"] = (await CustomerAsync(customerName + " " + Guid.NewGuid().ToString("N")[..8]))["Id"]!.GetValue<string>() },
        ["Line"] = new JsonArray(new JsonObject { ["DetailType"] = "SalesItemLineDetail", ["Amount"] = 100, ["SalesItemLineDetail"] = new JsonObject() }),
    };

    private string Today => DateOnly.FromDateTime(sandbox.Time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task CreateInvoice_EmptyTxnDateAndDueDate_AreTakenAsAbsent()
    {
        var body = await InvoiceBodyAsync("Empty Dates");
        body["TxnDate"] = string.Empty;
        body["DueDate"] = string.Empty;

        var (status, answer, _) = await Post("invoice", body);

        status.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        answer["Invoice"]!["TxnDate"]!.GetValue<string>().ShouldBe(Today);
        answer["Invoice"]!["DueDate"]!.GetValue<string>().ShouldBe(DateOnly.ParseExact(Today, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("TxnDate", "2026/12/03")]
    [InlineData("TxnDate", "03-12-2026")]
    [InlineData("DueDate", "2026-13-01")]
    [InlineData("Line.SalesItemLineDetail.ServiceDate", "12/03/2026")]
    public async Task CreateInvoice_MalformedDate_Is2010NamingTheElement(string element, string date)
    {
        var body = await InvoiceBodyAsync("Bad Date");
        if (element.StartsWith("Line.", StringComparison.Ordinal))
        {
            body["Line"]![0]!["SalesItemLineDetail"]!["ServiceDate"] = date;
        }
        else
        {
            body[element] = date;
        }

        var (status, answer, response) = await Post("invoice", body);

        status.ShouldBe(HttpStatusCode.BadRequest, answer.ToJsonString());
        response.Headers.GetValues("intuit_tid").Single().ShouldNotBeNullOrEmpty();
        answer["Fault"]!["type"]!.GetValue<string>().ShouldBe("ValidationFault");
        var error = answer["Fault"]!["Error"]![0]!;
        error["code"]!.GetValue<string>().ShouldBe("2010");
        error["element"]!.GetValue<string>().ShouldBe(element);
        error["Message"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        error["Detail"]!.GetValue<string>().ShouldContain(date);
    }

    [Theory]
    [InlineData("", HttpStatusCode.OK)]
    [InlineData("2026/12/03", HttpStatusCode.BadRequest)]
    public async Task CreatePayment_EmptyTxnDateIsToday_AMalformedOneIs2010(string date, HttpStatusCode expected)
    {
        var customer = (await CustomerAsync("Payment Date " + Guid.NewGuid().ToString("N")[..8]))["Id"]!.GetValue<string>();

        var (status, answer, _) = await Post("payment", new JsonObject { ["CustomerRef"] = new JsonObject { ["value"] = customer }, ["TotalAmt"] = 10, ["TxnDate"] = date });

        status.ShouldBe(expected, answer.ToJsonString());
        if (expected == HttpStatusCode.OK)
        {
            answer["Payment"]!["TxnDate"]!.GetValue<string>().ShouldBe(Today);
        }
        else
        {
            Code(answer).ShouldBe("2010");
            answer["Fault"]!["Error"]![0]!["element"]!.GetValue<string>().ShouldBe("TxnDate");
        }
    }

    [Fact]
    public async Task CreateInvoice_AnUnexpectedFailure_IsA500SystemFaultWithAnIntuitTid()
    {
        // Qty × UnitPrice beyond decimal's range: no rule of the sandbox's refuses it first.
        var body = await InvoiceBodyAsync("Overflow");
        body["Line"] = new JsonArray(new JsonObject
        {
            ["DetailType"] = "SalesItemLineDetail",
            ["SalesItemLineDetail"] = new JsonObject { ["Qty"] = 100000000000000000000m, ["UnitPrice"] = 100000000000000000000m },
        });

        var (status, answer, response) = await Post("invoice", body);

        status.ShouldBe(HttpStatusCode.InternalServerError);
        response.Headers.GetValues("intuit_tid").Single().ShouldNotBeNullOrEmpty();
        answer.ShouldNotBeNull();
        answer["Fault"]!["type"]!.GetValue<string>().ShouldBe("SystemFault");
        Code(answer).ShouldBe("10000");
    }

    [Fact]
    public async Task Payment_AppliedToAnInvoice_ReducesItsBalance_LinksBoth_DefaultsToUndepositedFunds()
    {
        var customer = (await CustomerAsync("Payer One"))["Id"]!.GetValue<string>();
        var invoice = (await Post("invoice?requestid=pay-inv", new { CustomerRef = new { value = customer }, Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 200, SalesItemLineDetail = new { } } } })).Body["Invoice"]!;
        var invoiceId = invoice["Id"]!.GetValue<string>();

        var (status, body, _) = await Post("payment?requestid=pay-1", new { CustomerRef = new { value = customer }, TotalAmt = 150, Line = new object[] { new { Amount = 120, LinkedTxn = new object[] { new { TxnId = invoiceId, TxnType = "Invoice" } } } } });
        var after = (await Get($"invoice/{invoiceId}")).Body["Invoice"]!;

        status.ShouldBe(HttpStatusCode.OK);
        var payment = body["Payment"]!;
        payment["UnappliedAmt"]!.GetValue<decimal>().ShouldBe(30m);
        payment["DepositToAccountRef"]!["name"]!.GetValue<string>().ShouldBe("Undeposited Funds");
        after["Balance"]!.GetValue<decimal>().ShouldBe(80m);
        after["LinkedTxn"]!.AsArray().Select(l => (l!["TxnId"]!.GetValue<string>(), l["TxnType"]!.GetValue<string>())).ShouldContain((payment["Id"]!.GetValue<string>(), "Payment"));
        var owing = (await Get($"customer/{customer}")).Body["Customer"]!;
        owing["Balance"]!.GetValue<decimal>().ShouldBe(80m);
        var deactivate = await Post("customer?requestid=pay-deactivate", new { Id = customer, SyncToken = owing["SyncToken"]!.GetValue<string>(), sparse = true, Active = false });
        Code(deactivate.Body).ShouldBe("6000");
    }

    [Fact]
    public async Task Payment_Rules_DepositAccountMustBeBank_OtherCustomersInvoiceAndOverpaymentRefused()
    {
        var customer = (await CustomerAsync("Payer Two"))["Id"]!.GetValue<string>();
        var other = (await CustomerAsync("Someone Else"))["Id"]!.GetValue<string>();
        var invoiceId = (await Post("invoice?requestid=pr-inv", new { CustomerRef = new { value = customer }, Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 50, SalesItemLineDetail = new { } } } })).Body["Invoice"]!["Id"]!.GetValue<string>();
        object Applied(string payer, decimal amount) => new { CustomerRef = new { value = payer }, TotalAmt = amount, Line = new object[] { new { Amount = amount, LinkedTxn = new object[] { new { TxnId = invoiceId, TxnType = "Invoice" } } } } };

        var incomeDeposit = await Post("payment?requestid=pr-1", new { CustomerRef = new { value = customer }, TotalAmt = 5, DepositToAccountRef = new { value = await AccountIdAsync("Services") } });
        var checking = await Post("payment?requestid=pr-2", new { CustomerRef = new { value = customer }, TotalAmt = 5, DepositToAccountRef = new { value = await AccountIdAsync("Checking") } });
        var wrongCustomer = await Post("payment?requestid=pr-3", Applied(other, 10));
        var overpaid = await Post("payment?requestid=pr-4", Applied(customer, 60));

        Code(incomeDeposit.Body).ShouldBe("6000");
        checking.Body["Payment"]!["DepositToAccountRef"]!["name"]!.GetValue<string>().ShouldBe("Checking");
        Code(wrongCustomer.Body).ShouldBe("6000");
        Code(overpaid.Body).ShouldBe("6000");
    }

    [Fact]
    public async Task VoidInvoice_ZeroesAmountsAndPrefixesPrivateNote()
    {
        var customer = (await CustomerAsync("Void Me"))["Id"]!.GetValue<string>();
        var invoice = (await Post("invoice?requestid=void-inv", new { CustomerRef = new { value = customer }, PrivateNote = "Job 12", Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 99, SalesItemLineDetail = new { } } } })).Body["Invoice"]!;

        var (status, body, _) = await Post("invoice?operation=void&requestid=void-1", new { Id = invoice["Id"]!.GetValue<string>(), SyncToken = "0" });

        status.ShouldBe(HttpStatusCode.OK);
        body["Invoice"]!["TotalAmt"]!.GetValue<decimal>().ShouldBe(0m);
        body["Invoice"]!["Balance"]!.GetValue<decimal>().ShouldBe(0m);
        body["Invoice"]!["PrivateNote"]!.GetValue<string>().ShouldBe("Voided - Job 12");
        body["Invoice"]!["SyncToken"]!.GetValue<string>().ShouldBe("1");
    }

    [Fact]
    public async Task VoidAndDeletePayment_GiveTheInvoiceItsBalanceBack_ThenTheInvoiceCanBeDeleted()
    {
        var customer = (await CustomerAsync("Undo Payer"))["Id"]!.GetValue<string>();
        var invoiceId = (await Post("invoice?requestid=undo-inv", new { CustomerRef = new { value = customer }, Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 100, SalesItemLineDetail = new { } } } })).Body["Invoice"]!["Id"]!.GetValue<string>();
        object Pay(decimal amount) => new { CustomerRef = new { value = customer }, TotalAmt = amount, Line = new object[] { new { Amount = amount, LinkedTxn = new object[] { new { TxnId = invoiceId, TxnType = "Invoice" } } } } };
        var first = (await Post("payment?requestid=undo-p1", Pay(40))).Body["Payment"]!["Id"]!.GetValue<string>();
        var second = (await Post("payment?requestid=undo-p2", Pay(60))).Body["Payment"]!["Id"]!.GetValue<string>();

        var paidToken = (await Get($"invoice/{invoiceId}")).Body["Invoice"]!["SyncToken"]!.GetValue<string>(); // each payment bumped it
        var deleteWhilePaid = await Post("invoice?operation=delete&requestid=undo-d0", new { Id = invoiceId, SyncToken = paidToken });
        var voided = await Post("payment?operation=update&include=void&requestid=undo-v1", new { Id = first, SyncToken = "0", sparse = true });
        var deleted = await Post("payment?operation=delete&requestid=undo-d1", new { Id = second, SyncToken = "0" });
        var invoice = (await Get($"invoice/{invoiceId}")).Body["Invoice"]!;
        var deleteInvoice = await Post("invoice?operation=delete&requestid=undo-d2", new { Id = invoiceId, SyncToken = invoice["SyncToken"]!.GetValue<string>() });

        Code(deleteWhilePaid.Body).ShouldBe("6000");
        voided.Body["Payment"]!["TotalAmt"]!.GetValue<decimal>().ShouldBe(0m);
        voided.Body["Payment"]!["PrivateNote"]!.GetValue<string>().ShouldBe("Voided");
        deleted.Body["Payment"]!["status"]!.GetValue<string>().ShouldBe("Deleted");
        invoice["Balance"]!.GetValue<decimal>().ShouldBe(100m);
        deleteInvoice.Body["Invoice"]!["status"]!.GetValue<string>().ShouldBe("Deleted");
    }

    [Fact]
    public async Task CompanyInfoAndPreferences_AreReadable()
    {
        var info = await Get($"companyinfo/{Realm}?minorversion=75");
        var preferences = await Get("preferences");

        info.Body["CompanyInfo"]!["CompanyName"]!.GetValue<string>().ShouldBe("Acme Plumbing & Heating LLC");
        preferences.Body["Preferences"]!["SalesFormsPrefs"]!["CustomTxnNumbers"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Seed_ChartOfAccounts_PaymentMethods_TaxCodes()
    {
        var accounts = (await Get($"query?query={Uri.EscapeDataString("select * from Account maxresults 1000")}")).Body["QueryResponse"]!["Account"]!.AsArray()
            .Select(a => $"{a!["Name"]} ({a["AccountType"]})").ToList();
        var methods = (await Get($"query?query={Uri.EscapeDataString("select * from PaymentMethod")}")).Body["QueryResponse"]!["PaymentMethod"]!.AsArray().Select(m => m!["Name"]!.GetValue<string>());
        var taxCodes = (await Get($"query?query={Uri.EscapeDataString("select * from TaxCode")}")).Body["QueryResponse"]!["TaxCode"]!.AsArray().Select(t => t!["Name"]!.GetValue<string>());

        accounts.ShouldContain("Checking (Bank)");
        accounts.ShouldContain("Savings (Bank)");
        accounts.ShouldContain("Undeposited Funds (Other Current Asset)");
        accounts.ShouldContain("Services (Income)");
        accounts.ShouldContain("Sales of Product Income (Income)");
        accounts.ShouldContain("Discounts given (Income)");
        methods.ShouldContain("Check");
        taxCodes.ShouldBe(["TAX", "NON"], ignoreOrder: true);
    }
}

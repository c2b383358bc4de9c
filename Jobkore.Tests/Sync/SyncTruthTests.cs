using System.Text.Json.Nodes;
using Jobkore.Core.Catalog;
using Jobkore.Core.Clients;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Payments;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Changes;
using Jobkore.Core.Sync.Projection;
using Jobkore.Core.SyncState;
using Jobkore.QuickBooksSandbox.FaultInjection;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>
/// "Up to date" must mean QuickBooks holds the same (docs/design.md §4 invariants 7 and 8): each test here is one way the
/// green check could be wrong while QuickBooks differs, checked against the sandbox's own records.
/// </summary>
public sealed class SyncTruthTests
{
    private const string Realm = QuickBooksApp.AcmeRealm;

    /// <summary>No retries inside the client and no pacing: an answer dropped after commit stays lost, and runs take a second.</summary>
    private static readonly Dictionary<string, string?> s_oneTry = new()
    {
        ["QuickBooks:Client:TransientAttempts"] = "1",
        ["QuickBooks:Client:RequestsPerMinute"] = "100000",
        ["QuickBooks:Client:RequestsPerSecond"] = "100000",
        ["QuickBooks:Limits:Enabled"] = "false",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<QuickBooksApp> ConnectedAppAsync(bool singleWrites = false) =>
        QuickBooksApp.ConnectedAsync(settings: new(s_oneTry) { ["Sync:BatchSize"] = singleWrites ? "1" : "30" });

    [Fact]
    public async Task UpdateWhoseAnswerWasLost_ThenTheInvoiceIsVoided_QuickBooksVoidsIt_NotAReplayOfTheUpdate()
    {
        await using var app = await ConnectedAppAsync(singleWrites: true);
        await SyncAllAsync(app);
        var invoice = await UnpaidSentInvoiceAsync(app);
        await app.EditMemoAsync(invoice.Id, "Edited, then the answer was lost");

        app.Faults.Configure(Realm, new FaultSettings { DropAfterCommitRate = 1 });
        await SyncInvoiceAsync(app, invoice.Id);
        app.Faults.Clear();
        await VoidAsync(app, invoice.Id);
        await SyncAllAsync(app);

        var row = await QboRowAsync(app, "Invoice", SyncEntityType.Invoice, invoice.Id);
        ((decimal)row["TotalAmt"]!).ShouldBe(0m, row.ToJsonString());
        ((string)row["PrivateNote"]!).ShouldStartWith("Voided");
        (await StatusAsync(app, invoice.Id)).ShouldBe(SyncStatus.UpToDate);
    }

    [Fact]
    public async Task UpdateLeftInDoubtByA503_ThenTheInvoiceChangedInQuickBooks_TheNextSyncSendsTheEdit_AndLeavesNothingFailed()
    {
        // QuickBooks answers the invoice's write 503 and does nothing, as a server of its own failing would.
        QuickBooksApp? app = null;
        var failTheWrite = false;
        app = await QuickBooksApp.ConnectedAsync(settings: new(s_oneTry) { ["Sync:BatchSize"] = "1" }, beforeQboRequest: request =>
        {
            if (failTheWrite && request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/invoice", StringComparison.Ordinal))
            {
                failTheWrite = false;
                app!.Faults.Configure(Realm, new FaultSettings { ServerErrorRate = 1 });
            }

            return Task.CompletedTask;
        });
        await using var disposeApp = app;
        await SyncAllAsync(app);
        var invoice = await UnpaidSentInvoiceAsync(app);
        var qboId = (await RecordAsync(app, SyncEntityType.Invoice, invoice.Id))!.QboId!;
        var failedBefore = (await PendingAsync(app)).Failed;
        await app.EditMemoAsync(invoice.Id, "Edited while QuickBooks was failing");

        failTheWrite = true;
        await SyncInvoiceAsync(app, invoice.Id);
        app.Faults.Clear();
        failTheWrite.ShouldBeFalse("the run sent the invoice");
        (await StatusAsync(app, invoice.Id)).ShouldBe(SyncStatus.Failed, "the edit did not reach QuickBooks");

        // The bookkeeper adds an email in QuickBooks meanwhile: its SyncToken moves on.
        await app.AsQuickBooksUserAsync($"invoice/{qboId}/update", new JsonObject { ["BillEmail"] = new JsonObject { ["Address"] = "ap@harborlofts.example" } });
        await SyncAllAsync(app);

        var row = await QboRowAsync(app, "Invoice", SyncEntityType.Invoice, invoice.Id);
        ((string?)row["CustomerMemo"]?["value"]).ShouldBe("Edited while QuickBooks was failing", row.ToJsonString());
        (await StatusAsync(app, invoice.Id)).ShouldBe(SyncStatus.UpToDate, (await RecordAsync(app, SyncEntityType.Invoice, invoice.Id))!.LastError);
        (await PendingAsync(app)).Failed.ShouldBe(failedBefore);
        await MismatchesShouldBeEmptyAsync(app);
        var history = await HistoryAsync(app, SyncEntityType.Invoice, invoice.Id);
        history.ShouldContain(m => m != null && m.StartsWith("Stale Object Error", StringComparison.Ordinal),
            "the journal's resend of the write in doubt was answered 5010, so the run planned the edit afresh: " + string.Join(" | ", history));
    }

    [Fact]
    public async Task CustomerCreateWhoseAnswerWasLost_ThenTheClientIsRenamed_QuickBooksHasTheNewNameOnce()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var clientId = await NewClientWithInvoiceAsync(app, "Truth Rename Co", "TRUTH-R1");

        app.Faults.Configure(Realm, new FaultSettings { DropAfterCommitRate = 1 });
        await SyncAllAsync(app);
        app.Faults.Clear();
        await using (var scope = app.SignedInScope())
        {
            var clients = scope.ServiceProvider.GetRequiredService<ClientService>();
            await clients.UpdateAsync(clientId, (await clients.GetAsync(clientId, Ct))! with { DisplayName = "Truth Renamed Co" }, Ct);
        }

        await SyncAllAsync(app);

        var customers = QuickBooksApp.Rows(await app.SandboxAsync(), "Customer").Select(c => (string)c["DisplayName"]!).ToList();
        customers.Count(n => n == "Truth Renamed Co").ShouldBe(1);
        customers.ShouldNotContain("Truth Rename Co");
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task InvoiceCreateWhoseAnswerWasLost_ThenItsMemoIsEdited_QuickBooksHasTheEditedMemo()
    {
        await using var app = await ConnectedAppAsync(singleWrites: true);
        await SyncAllAsync(app);
        var clientId = await WithDbAsync(app, db => db.Clients.Where(c => c.DisplayName == "Maria O'Brien").Select(c => c.Id).SingleAsync(Ct));
        int invoiceId;
        await using (var scope = app.SignedInScope())
        {
            invoiceId = await scope.ServiceProvider.GetRequiredService<InvoiceService>().CreateAsync(
                Drafts.Invoice(clientId, "TRUTH-M1", 0m, Drafts.Line(1, 90m)) with { Memo = "First memo" }, markSent: true, Ct);
        }

        app.Faults.Configure(Realm, new FaultSettings { DropAfterCommitRate = 1 });
        await SyncAllAsync(app);
        app.Faults.Clear();
        await app.EditMemoAsync(invoiceId, "Second memo");
        await SyncAllAsync(app);

        var rows = QuickBooksApp.Rows(await app.SandboxAsync(), "Invoice").Where(i => (string?)i["DocNumber"] == "TRUTH-M1").ToList();
        rows.Count.ShouldBe(1);
        ((string?)rows[0]["CustomerMemo"]?["value"]).ShouldBe("Second memo");
        (await StatusAsync(app, invoiceId)).ShouldBe(SyncStatus.UpToDate);
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task ClearedMemoEmailPhoneCompanyAndDescription_AreEmptiedInQuickBooks_AndNothingElseIsTouched()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var invoiceId = await WithDbAsync(app, db => db.Invoices.Where(i => i.Memo != null && i.Status == InvoiceStatus.Sent && i.Client!.DisplayName != "Bob's Burgers")
            .Select(i => i.Id).FirstAsync(Ct));
        var client = await WithDbAsync(app, db => db.Clients.FirstAsync(c => c.CompanyName != null && c.DisplayName != "Bob's Burgers", Ct));
        var itemId = await WithDbAsync(app, db => db.SyncRecords.Where(r => r.EntityType == SyncEntityType.CatalogItem).Select(r => r.EntityId).FirstAsync(Ct));
        var customerRow = await QboRowAsync(app, "Customer", SyncEntityType.Client, client.Id);
        await QboUpdateAsync(app, "Customer", new QboCustomer { Id = (string)customerRow["Id"]!, SyncToken = (string)customerRow["SyncToken"]!, Sparse = true, Notes = "Bookkeeper's note" });

        await app.EditMemoAsync(invoiceId, null);
        await using (var scope = app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<ClientService>().UpdateAsync(client.Id, client.Details with { Email = null, Phone = null, CompanyName = null }, Ct);
            var catalog = scope.ServiceProvider.GetRequiredService<CatalogService>();
            await catalog.UpdateAsync(itemId, (await catalog.GetAsync(itemId, Ct))! with { Description = null }, Ct);
        }

        await SyncAllAsync(app);

        var invoice = await QboRowAsync(app, "Invoice", SyncEntityType.Invoice, invoiceId);
        invoice["CustomerMemo"].ShouldBeNull(invoice.ToJsonString());
        var customer = await QboRowAsync(app, "Customer", SyncEntityType.Client, client.Id);
        customer["PrimaryEmailAddr"].ShouldBeNull(customer.ToJsonString());
        customer["PrimaryPhone"].ShouldBeNull();
        customer["CompanyName"].ShouldBeNull();
        ((string?)customer["Notes"]).ShouldBe("Bookkeeper's note", "a full update sends back what Jobkore does not own");
        ((string?)customer["BillAddr"]?["City"]).ShouldBe(client.BillingAddress.City);
        (await QboRowAsync(app, "Item", SyncEntityType.CatalogItem, itemId))["Description"].ShouldBeNull();
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task InvoiceVoidedWhileItsCreateIsInDoubt_IsVoidedInQuickBooks()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var clientId = await WithDbAsync(app, db => db.Clients.Where(c => c.DisplayName == "Maria O'Brien").Select(c => c.Id).SingleAsync(Ct));
        int invoiceId;
        await using (var scope = app.SignedInScope())
        {
            invoiceId = await scope.ServiceProvider.GetRequiredService<InvoiceService>().CreateAsync(Drafts.Invoice(clientId, "TRUTH-V1", 0m, Drafts.Line(1, 120m)), markSent: true, Ct);
        }

        app.Faults.Configure(Realm, new FaultSettings { DropAfterCommitRate = 1 });
        await SyncAllAsync(app);
        app.Faults.Clear();
        QuickBooksApp.Rows(await app.SandboxAsync(), "Invoice").ShouldContain(i => (string?)i["DocNumber"] == "TRUTH-V1", "QuickBooks did the create whose answer was lost");
        await VoidAsync(app, invoiceId);
        await SyncAllAsync(app);

        var row = QuickBooksApp.Rows(await app.SandboxAsync(), "Invoice").Single(i => (string?)i["DocNumber"] == "TRUTH-V1");
        ((decimal)row["TotalAmt"]!).ShouldBe(0m, row.ToJsonString());
        (await StatusAsync(app, invoiceId)).ShouldBe(SyncStatus.UpToDate);
    }

    [Fact]
    public async Task PaymentDeletedWhileItsCreateIsInDoubt_IsVoidedInQuickBooks_AndNothingStaysCountedAsFailed()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var invoice = await UnpaidSentInvoiceAsync(app);
        int paymentId;
        await using (var scope = app.SignedInScope())
        {
            paymentId = await scope.ServiceProvider.GetRequiredService<PaymentService>().RecordAsync(invoice.Id, new PaymentEntry(12.34m, invoice.IssueDate, PaymentMethod.Cash, null), Ct);
        }

        app.Faults.Configure(Realm, new FaultSettings { DropAfterCommitRate = 1 });
        await SyncAllAsync(app);
        app.Faults.Clear();
        await RemovePaymentAsync(app, paymentId);

        await SyncAllAsync(app);

        var invoiceQboId = (await RecordAsync(app, SyncEntityType.Invoice, invoice.Id))!.QboId;
        var payments = QuickBooksApp.Rows(await app.SandboxAsync(), "Payment")
            .Where(p => p["Line"]!.AsArray().Any(l => l!["LinkedTxn"]!.AsArray().Any(t => (string?)t!["TxnId"] == invoiceQboId))).ToList();
        payments.ShouldBeEmpty("a voided payment is applied to nothing; a live one would still be");
        QuickBooksApp.Rows(await app.SandboxAsync(), "Payment").ShouldContain(p => (decimal)p["TotalAmt"]! == 0m && (string?)p["PrivateNote"] == "Voided");
        (await RecordAsync(app, SyncEntityType.Payment, paymentId)).ShouldBeNull();
        var pending = await PendingAsync(app);
        pending.Failed.ShouldBe(await BobsFailedDocumentsAsync(app), "only the vendor clash stays failed");
    }

    [Fact]
    public async Task PaymentRemovedThenTheInvoiceVoided_RetryOfThatInvoiceAlone_VoidsThePaymentThenTheInvoiceInQuickBooks()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var (paymentId, invoiceId, _, _) = await LonePaymentAsync(app);
        var paymentQboId = (await RecordAsync(app, SyncEntityType.Payment, paymentId))!.QboId;
        await RemovePaymentAsync(app, paymentId);

        await VoidAsync(app, invoiceId);
        await SyncInvoiceAsync(app, invoiceId);

        var payment = QuickBooksApp.Rows(await app.SandboxAsync(), "Payment").Single(p => (string?)p["Id"] == paymentQboId);
        ((decimal)payment["TotalAmt"]!).ShouldBe(0m, payment.ToJsonString());
        var invoice = await QboRowAsync(app, "Invoice", SyncEntityType.Invoice, invoiceId);
        ((string)invoice["PrivateNote"]!).ShouldStartWith("Voided", customMessage: (await RecordAsync(app, SyncEntityType.Invoice, invoiceId))!.LastError);
        (await StatusAsync(app, invoiceId)).ShouldBe(SyncStatus.UpToDate);
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task PaymentRemoved_WhoseVoidQuickBooksRefuses_ShowsOnItsInvoiceAsFailed_SaysToFixItInQuickBooks_AndRetryAfterTheFix_VoidsIt()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var (paymentId, invoiceId, number, date) = await LonePaymentAsync(app);
        var paymentQboId = (await RecordAsync(app, SyncEntityType.Payment, paymentId))!.QboId;
        (await StatusAsync(app, invoiceId)).ShouldBe(SyncStatus.UpToDate);
        var failedBefore = (await PendingAsync(app)).Failed;

        // The bookkeeper closes the books on the payment's date; then the payment is removed in Jobkore.
        await app.CloseBooksInQuickBooksAsync(date);
        await RemovePaymentAsync(app, paymentId);

        (await StatusAsync(app, invoiceId)).ShouldBe(SyncStatus.Edited, "QuickBooks still has the payment until a sync voids it");
        await MismatchesShouldBeEmptyAsync(app);
        await SyncInvoiceAsync(app, invoiceId);

        var payment = QuickBooksApp.Rows(await app.SandboxAsync(), "Payment").Single(p => (string?)p["Id"] == paymentQboId);
        ((decimal)payment["TotalAmt"]!).ShouldBeGreaterThan(0m, "QuickBooks refused the void");
        await using (var scope = app.SignedInScope())
        {
            var view = (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ForInvoiceAsync(invoiceId, Ct))!;
            view.Status.ShouldBe(SyncStatus.Failed);
            view.Message.ShouldNotBeNull();
            view.Message.ShouldContain($"removed from invoice {number}");
            view.Message.ShouldContain("books are closed");
            view.Message.ShouldNotContain("date in Jobkore");
            var attention = await scope.ServiceProvider.GetRequiredService<NeedsAttention>().ListAsync(Ct);
            attention.Items.ShouldContain(i => i.Type == SyncEntityType.Invoice && i.Id == invoiceId && i.Cause == AttentionCause.Refused && i.Message == view.Message && i.Since != null);
        }

        (await PendingAsync(app)).Failed.ShouldBe(failedBefore + 1);
        await MismatchesShouldBeEmptyAsync(app);

        // The bookkeeper moves the closing date back; a Retry of the invoice voids the payment there.
        await app.CloseBooksInQuickBooksAsync(null);
        await using (var scope = app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<NeedsAttention>().RetryAsync(SyncEntityType.Invoice, invoiceId, Ct)).ShouldNotBeNull();
        }

        payment = QuickBooksApp.Rows(await app.SandboxAsync(), "Payment").Single(p => (string?)p["Id"] == paymentQboId);
        ((decimal)payment["TotalAmt"]!).ShouldBe(0m, payment.ToJsonString());
        (await StatusAsync(app, invoiceId)).ShouldBe(SyncStatus.UpToDate);
        (await PendingAsync(app)).Failed.ShouldBe(failedBefore);
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task PaymentRemovedThenQuickBooksDisconnectedClearingTheLinks_IsVoidedOnceTheSameCompanyIsConnectedAgain()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var (paymentId, invoiceId, _, _) = await LonePaymentAsync(app);
        var paymentQboId = (await RecordAsync(app, SyncEntityType.Payment, paymentId))!.QboId;
        await RemovePaymentAsync(app, paymentId);
        await using (var scope = app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().DisconnectAsync(keepMappings: false, Ct)).SyncStillRunning.ShouldBeFalse();
        }

        // Another company may be connected meanwhile: the kept record links no Jobkore record, so it does not stand in the way.
        using (var client = app.Client())
        {
            (await QuickBooksApp.ConnectAsync(client, QuickBooksApp.SecondRealm)).ShouldBe("/settings/integrations?quickbooks=connected");
        }

        await using (var scope = app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().DisconnectAsync(keepMappings: false, Ct);
        }

        await app.ConnectAcmeAsync();
        (await StatusAsync(app, invoiceId)).ShouldNotBe(SyncStatus.UpToDate, "QuickBooks still has the removed payment");
        await SyncAllAsync(app);

        var payment = QuickBooksApp.Rows(await app.SandboxAsync(), "Payment").Single(p => (string?)p["Id"] == paymentQboId);
        ((decimal)payment["TotalAmt"]!).ShouldBe(0m, payment.ToJsonString());
        (await StatusAsync(app, invoiceId)).ShouldBe(SyncStatus.UpToDate);
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task ClientOfAPaidInvoice_CannotBeChanged_SoQuickBooksKeepsThePaymentWithItsInvoicesCustomer()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var (paymentId, invoiceId, clientId) = await WithDbAsync(app, db => db.Payments
            .Where(p => p.Invoice!.Client!.DisplayName != "Bob's Burgers")
            .Select(p => new ValueTuple<int, int, int>(p.Id, p.InvoiceId, p.Invoice!.ClientId)).FirstAsync(Ct));
        var otherClientId = await WithDbAsync(app, db => db.Clients.Where(c => c.Id != clientId && c.DisplayName != "Bob's Burgers").Select(c => c.Id).FirstAsync(Ct));

        await using (var scope = app.SignedInScope())
        {
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            var draft = (await invoices.GetForEditAsync(invoiceId, Ct))!.Draft;
            var refused = await Should.ThrowAsync<DomainRuleException>(() => invoices.UpdateAsync(invoiceId, draft with { ClientId = otherClientId }, markSent: false, Ct));
            refused.Message.ShouldEndWith("Remove its payments before changing the client.");
        }

        await SyncAllAsync(app);
        var invoice = await QboRowAsync(app, "Invoice", SyncEntityType.Invoice, invoiceId);
        var payment = await QboRowAsync(app, "Payment", SyncEntityType.Payment, paymentId);
        ((string?)payment["CustomerRef"]?["value"]).ShouldBe((string?)invoice["CustomerRef"]?["value"]);
        ((string?)invoice["CustomerRef"]?["value"]).ShouldBe((await RecordAsync(app, SyncEntityType.Client, clientId))!.QboId);
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task PaymentAppliedBumpsTheInvoicesSyncToken_ThenTheInvoiceIsEditedAndVoided_BothReachQuickBooks()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var (paymentId, invoiceId) = await WithDbAsync(app, db => db.Payments.Where(p => p.Invoice!.Client!.DisplayName != "Bob's Burgers" && p.Invoice.Payments.Count == 1
            && p.Invoice.Status == InvoiceStatus.PartiallyPaid).Select(p => new ValueTuple<int, int>(p.Id, p.InvoiceId)).FirstAsync(Ct));
        var record = (await RecordAsync(app, SyncEntityType.Invoice, invoiceId))!;
        var before = await QboRowAsync(app, "Invoice", SyncEntityType.Invoice, invoiceId);
        ((string)before["SyncToken"]!).ShouldNotBe(record.QboSyncToken, "QuickBooks bumps an invoice's SyncToken when a payment is applied to it");

        await app.EditMemoAsync(invoiceId, "Edited after it was paid");
        await SyncAllAsync(app);
        ((string?)(await QboRowAsync(app, "Invoice", SyncEntityType.Invoice, invoiceId))["CustomerMemo"]?["value"]).ShouldBe("Edited after it was paid");

        await RemovePaymentAsync(app, paymentId);

        await VoidAsync(app, invoiceId);
        await SyncAllAsync(app);

        var voided = await QboRowAsync(app, "Invoice", SyncEntityType.Invoice, invoiceId);
        ((string)voided["PrivateNote"]!).ShouldStartWith("Voided", customMessage: voided.ToJsonString());
        (await StatusAsync(app, invoiceId)).ShouldBe(SyncStatus.UpToDate);
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task CustomerAndInvoiceLinkedByNameAndNumber_WhoseContentDiffers_AreUpdated_AndTheirHistorySaysSo()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var maria = await WithDbAsync(app, db => db.Clients.SingleAsync(c => c.DisplayName == "Maria O'Brien", Ct));
        var mariaQboId = (await RecordAsync(app, SyncEntityType.Client, maria.Id))!.QboId!;
        await QboCreateAsync(app, "Customer", new QboCustomer { DisplayName = "Truth Link Co", CompanyName = "Old Company", PrimaryEmailAddr = new QboEmail("old@example.com") });
        await QboCreateAsync(app, "Invoice", new QboInvoice
        {
            DocNumber = "TRUTH-L1", CustomerRef = new QboRef(mariaQboId), CustomerMemo = new QboMemo("Typed in QuickBooks"),
            Line = [new QboLine { DetailType = "SalesItemLineDetail", Amount = 80m, SalesItemLineDetail = new QboSalesItemLineDetail { Qty = 1, UnitPrice = 80m } }],
        });
        int clientId, invoiceId;
        await using (var scope = app.SignedInScope())
        {
            clientId = await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(
                new ClientDetails("Truth Link Co", null, "new@example.com", null, PostalAddress.Empty), Ct);
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            await invoices.CreateAsync(Drafts.Invoice(clientId, "TRUTH-L2", 0m, Drafts.Line(1, 10m)), markSent: true, Ct);
            invoiceId = await invoices.CreateAsync(Drafts.Invoice(maria.Id, "TRUTH-L1", 0m, Drafts.Line(1, 80m)) with { Memo = "Jobkore's memo" }, markSent: true, Ct);
        }

        await SyncAllAsync(app);

        var sandbox = await app.SandboxAsync();
        var customer = QuickBooksApp.Rows(sandbox, "Customer").Single(c => (string?)c["DisplayName"] == "Truth Link Co");
        ((string?)customer["PrimaryEmailAddr"]?["Address"]).ShouldBe("new@example.com");
        customer["CompanyName"].ShouldBeNull();
        var invoice = QuickBooksApp.Rows(sandbox, "Invoice").Single(i => (string?)i["DocNumber"] == "TRUTH-L1");
        ((string?)invoice["CustomerMemo"]?["value"]).ShouldBe("Jobkore's memo");
        (await HistoryAsync(app, SyncEntityType.Client, clientId)).ShouldContain(m => m != null && m.Contains("differed (company name, email)"));
        (await HistoryAsync(app, SyncEntityType.Invoice, invoiceId)).ShouldContain(m => m != null && m.Contains("which differed (") && m.Contains("memo"));
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task InvoiceNumberedLikeAnotherOnlyAsANumber_IsNotLinkedToIt()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var maria = await WithDbAsync(app, db => db.Clients.SingleAsync(c => c.DisplayName == "Maria O'Brien", Ct));
        var mariaQboId = (await RecordAsync(app, SyncEntityType.Client, maria.Id))!.QboId!;
        var other = await QboCreateAsync(app, "Invoice", new QboInvoice
        {
            DocNumber = "0042", CustomerRef = new QboRef(mariaQboId),
            Line = [new QboLine { DetailType = "SalesItemLineDetail", Amount = 42m, SalesItemLineDetail = new QboSalesItemLineDetail { Qty = 1, UnitPrice = 42m } }],
        });
        int invoiceId;
        await using (var scope = app.SignedInScope())
        {
            invoiceId = await scope.ServiceProvider.GetRequiredService<InvoiceService>().CreateAsync(Drafts.Invoice(maria.Id, "42", 0m, Drafts.Line(1, 42m)), markSent: true, Ct);
        }

        await SyncAllAsync(app);

        var record = (await RecordAsync(app, SyncEntityType.Invoice, invoiceId))!;
        record.Failed.ShouldBeFalse(record.LastError);
        record.QboId.ShouldNotBe(other.Invoice!.Id);
        ((string?)(await QboRowAsync(app, "Invoice", SyncEntityType.Invoice, invoiceId))["DocNumber"]).ShouldBe("42");
    }

    [Fact]
    public async Task PaymentReferenceLongerThanQuickBooksTakes_GoesAsItsFirst21Characters_AndWholeInTheNote()
    {
        const string reference = "pi_3PZyVeLkdIwHu7ix0xyzABC";
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var invoice = await UnpaidSentInvoiceAsync(app);
        int paymentId;
        await using (var scope = app.SignedInScope())
        {
            paymentId = await scope.ServiceProvider.GetRequiredService<PaymentService>().RecordAsync(invoice.Id, new PaymentEntry(5m, invoice.IssueDate, PaymentMethod.Card, reference), Ct);
        }

        await SyncAllAsync(app);

        var row = await QboRowAsync(app, "Payment", SyncEntityType.Payment, paymentId);
        ((string?)row["PaymentRefNum"]).ShouldBe(reference[..21]);
        ((string?)row["PrivateNote"]).ShouldBe("Reference: " + reference);
        (await RecordAsync(app, SyncEntityType.Payment, paymentId))!.Failed.ShouldBeFalse();
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task ClientWhoseEmailABookkeeperAddedInQuickBooks_IsFlaggedNotOverwritten_AndJobkoresVersionIsSentInFull_SoQuickBooksHoldsNoEmailEither()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var clientId = await NewClientWithInvoiceAsync(app, "Truth Stale Co", "TRUTH-S1");
        await SyncAllAsync(app);
        var row = await QboRowAsync(app, "Customer", SyncEntityType.Client, clientId);
        await QboUpdateAsync(app, "Customer", new QboCustomer { Id = (string)row["Id"]!, SyncToken = (string)row["SyncToken"]!, Sparse = true, PrimaryEmailAddr = new QboEmail("bookkeeper@example.com") });
        await using (var scope = app.SignedInScope())
        {
            var clients = scope.ServiceProvider.GetRequiredService<ClientService>();
            await clients.UpdateAsync(clientId, (await clients.GetAsync(clientId, Ct))! with { Phone = "555-0100" }, Ct);
        }

        await SyncAllAsync(app);

        var flagged = await QboRowAsync(app, "Customer", SyncEntityType.Client, clientId);
        ((string?)flagged["PrimaryEmailAddr"]?["Address"]).ShouldBe("bookkeeper@example.com", "Sync Now never overwrites a change made in QuickBooks unseen");
        flagged["PrimaryPhone"].ShouldBeNull();
        await using (var scope = app.SignedInScope())
        {
            var view = (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ViewsAsync(SyncEntityType.Client, [clientId], Ct))![clientId];
            view.Status.ShouldBe(SyncStatus.ChangedInQuickBooks);
            view.Differences.ShouldBe([new QboDifference("email", null, "bookkeeper@example.com")]);
            (await scope.ServiceProvider.GetRequiredService<QuickBooksChangeChoices>().SendJobkoreVersionAsync(SyncEntityType.Client, clientId, Ct)).ShouldBeNull("a client goes with the next sync");
        }

        await SyncAllAsync(app);

        var after = await QboRowAsync(app, "Customer", SyncEntityType.Client, clientId);
        ((string?)after["PrimaryPhone"]?["FreeFormNumber"]).ShouldBe("555-0100");
        after["PrimaryEmailAddr"].ShouldBeNull("Jobkore owns the email and has none: a green check must mean QuickBooks has none either");
        (await HistoryAsync(app, SyncEntityType.Client, clientId)).ShouldContain(m => m != null && m.Contains("Sent in full, so that what is empty in Jobkore is empty in QuickBooks too."));
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NewInvoiceTakingTheOldNumberOfOneRenumbered_NeverTakesItsQuickBooksInvoice(bool voidTheNewOne)
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var renumbered = await UnpaidSentInvoiceAsync(app);
        var itsQboId = (await RecordAsync(app, SyncEntityType.Invoice, renumbered.Id))!.QboId!;
        int newId;
        await using (var scope = app.SignedInScope())
        {
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            var draft = (await invoices.GetForEditAsync(renumbered.Id, Ct))!.Draft;
            await invoices.UpdateAsync(renumbered.Id, draft with { Number = renumbered.Number + "-R" }, markSent: false, Ct);
            newId = await invoices.CreateAsync(draft, markSent: true, Ct);
            if (voidTheNewOne)
            {
                await invoices.VoidAsync(newId, Ct);
            }
        }

        await SyncAllAsync(app);
        await SyncAllAsync(app);

        var rows = QuickBooksApp.Rows(await app.SandboxAsync(), "Invoice");
        var its = rows.Single(r => (string?)r["Id"] == itsQboId);
        ((string?)its["DocNumber"]).ShouldBe(renumbered.Number + "-R");
        ((decimal)its["TotalAmt"]!).ShouldBe(renumbered.Total, "the renumbered invoice is not voided by the new one's void");
        var newRecord = (await RecordAsync(app, SyncEntityType.Invoice, newId))!;
        newRecord.QboId.ShouldNotBe(itsQboId);
        rows.Count(r => (string?)r["DocNumber"] == renumbered.Number).ShouldBe(voidTheNewOne ? 0 : 1);
        (await StatusAsync(app, newId)).ShouldBe(SyncStatus.UpToDate);
        (await StatusAsync(app, renumbered.Id)).ShouldBe(SyncStatus.UpToDate);
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task ClientsSwappingNames_OneTakingTheNameAnotherGivesUp_AndItemsInARingOfThree_AllReachQuickBooksInOneSync()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var failedBefore = (await PendingAsync(app)).Failed;
        var clients = await LinkedClientsAsync(app, 4);
        var items = await WithDbAsync(app, db => db.CatalogItems.AsNoTracking()
            .Where(i => db.SyncRecords.Any(r => r.RealmId == Realm && r.EntityType == SyncEntityType.CatalogItem && r.EntityId == i.Id && r.QboId != null))
            .OrderBy(i => i.Id).Take(3).ToListAsync(Ct));
        items.Count.ShouldBe(3);
        var customersBefore = QuickBooksApp.Rows(await app.SandboxAsync(), "Customer").Count;
        var itemsBefore = QuickBooksApp.Rows(await app.SandboxAsync(), "Item").Count;

        // The first two clients swap names; the third takes the fourth's, which takes a new one; each item takes the next one's name.
        var names = new Dictionary<int, string>
        {
            [clients[0].Id] = clients[1].DisplayName,
            [clients[1].Id] = clients[0].DisplayName,
            [clients[2].Id] = clients[3].DisplayName,
            [clients[3].Id] = clients[3].DisplayName + " Ltd",
        };
        var itemNames = items.Select((item, i) => (item.Id, Name: items[(i + 1) % items.Count].Name)).ToDictionary(p => p.Id, p => p.Name);
        await using (var scope = app.SignedInScope())
        {
            foreach (var client in clients)
            {
                await scope.ServiceProvider.GetRequiredService<ClientService>().UpdateAsync(client.Id, client.Details with { DisplayName = names[client.Id] }, Ct);
            }

            // Jobkore's catalog keeps names unique too, so the ring is made there through a name no one holds, as a person would.
            var catalog = scope.ServiceProvider.GetRequiredService<CatalogService>();
            await catalog.UpdateAsync(items[0].Id, items[0].Details with { Name = items[0].Name + " (old)" }, Ct);
            foreach (var item in items.AsEnumerable().Reverse())
            {
                await catalog.UpdateAsync(item.Id, item.Details with { Name = itemNames[item.Id] }, Ct);
            }
        }

        await SyncAllAsync(app);

        foreach (var client in clients)
        {
            await ShouldBeInQuickBooksAsAsync(app, SyncEntityType.Client, client.Id, names[client.Id]);
        }

        foreach (var item in items)
        {
            await ShouldBeInQuickBooksAsAsync(app, SyncEntityType.CatalogItem, item.Id, itemNames[item.Id]);
        }

        QuickBooksApp.Rows(await app.SandboxAsync(), "Customer").Count.ShouldBe(customersBefore, "renamed, not created");
        QuickBooksApp.Rows(await app.SandboxAsync(), "Item").Count.ShouldBe(itemsBefore, "renamed, not created");
        (await HistoryAsync(app, SyncEntityType.Client, clients[0].Id)).Concat(await HistoryAsync(app, SyncEntityType.Client, clients[1].Id))
            .ShouldContain(m => m != null && m.Contains("for a moment", StringComparison.Ordinal), "one of the two stepped aside under a name nobody holds");
        var pending = await PendingAsync(app);
        pending.Failed.ShouldBe(failedBefore);
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task ClientsSwappingNames_KeepWhatTheBookkeeperAddedToThemInQuickBooks()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var clients = await LinkedClientsAsync(app, 2);
        foreach (var client in clients)
        {
            var row = await QboRowAsync(app, "Customer", SyncEntityType.Client, client.Id);
            await QboUpdateAsync(app, "Customer", new QboCustomer { Id = (string)row["Id"]!, SyncToken = (string)row["SyncToken"]!, Sparse = true, Notes = "Bookkeeper's note" });
        }

        await SwapNamesAsync(app, clients[0], clients[1]);

        await SyncAllAsync(app);

        foreach (var (client, name) in new[] { (clients[0], clients[1].DisplayName), (clients[1], clients[0].DisplayName) })
        {
            var row = await ShouldBeInQuickBooksAsAsync(app, SyncEntityType.Client, client.Id, name);
            ((string?)row["Notes"]).ShouldBe("Bookkeeper's note", "the name moved aside and the rename are sparse: nothing else of QuickBooks' is emptied");
        }

        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task ClientRenamedToAnEmployeesName_FailsSayingAnotherCustomerVendorOrEmployeeHasIt_AndQuickBooksKeepsTheOldName()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var client = (await LinkedClientsAsync(app, 1))[0];
        await using (var scope = app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<ClientService>().UpdateAsync(client.Id, client.Details with { DisplayName = "Emily Platt" }, Ct);
        }

        await SyncAllAsync(app);

        var record = (await RecordAsync(app, SyncEntityType.Client, client.Id))!;
        record.Failed.ShouldBeTrue();
        record.LastError.ShouldBe("QuickBooks already has another customer, a vendor or an employee named 'Emily Platt'. Rename the client in Jobkore or in QuickBooks, then retry.");
        ((string)(await QboRowAsync(app, "Customer", SyncEntityType.Client, client.Id))["DisplayName"]!).ShouldBe(QboNames.DisplayName(client.DisplayName));
    }

    [Fact]
    public async Task ClientsSwappingNames_WithEveryAnswerLostAfterQuickBooksDidTheWrite_TheNextSyncFinishesTheSwap()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        var failedBefore = (await PendingAsync(app)).Failed;
        var clients = await LinkedClientsAsync(app, 2);
        var customersBefore = QuickBooksApp.Rows(await app.SandboxAsync(), "Customer").Count;
        await SwapNamesAsync(app, clients[0], clients[1]);

        // The name moved aside is done in QuickBooks, but no answer comes back: the swap's other half waits, saying why.
        app.Faults.Configure(Realm, new FaultSettings { DropAfterCommitRate = 1 });
        await SyncAllAsync(app);
        app.Faults.Clear();
        var held = await WithDbAsync(app, db => db.SyncRecords.AsNoTracking()
            .Where(r => r.EntityType == SyncEntityType.Client && (r.EntityId == clients[0].Id || r.EntityId == clients[1].Id) && r.LastErrorCode == SyncErrorMessages.WaitsForAnotherCode)
            .ToListAsync(Ct));
        held.ShouldHaveSingleItem().LastError!.ShouldContain("was not renamed in QuickBooks: its new name");
        await SyncAllAsync(app);

        foreach (var (client, name) in new[] { (clients[0], clients[1].DisplayName), (clients[1], clients[0].DisplayName) })
        {
            await ShouldBeInQuickBooksAsAsync(app, SyncEntityType.Client, client.Id, name);
        }

        QuickBooksApp.Rows(await app.SandboxAsync(), "Customer").Count.ShouldBe(customersBefore, "renamed, not created");
        QuickBooksApp.Rows(await app.SandboxAsync(), "Customer").ShouldNotContain(c => ((string)c["DisplayName"]!).Contains("(renaming", StringComparison.Ordinal));
        (await HistoryAsync(app, SyncEntityType.Client, clients[0].Id)).Concat(await HistoryAsync(app, SyncEntityType.Client, clients[1].Id))
            .ShouldContain(m => m != null && m.Contains("for a moment", StringComparison.Ordinal), "the name moved aside is recorded once its resend is answered");
        (await PendingAsync(app)).Failed.ShouldBe(failedBefore);
        await MismatchesShouldBeEmptyAsync(app);
    }

    [Fact]
    public async Task Oracle_QuickBooksChangedBehindJobkoresBack_ReportsEachFieldThatDiffers()
    {
        await using var app = await ConnectedAppAsync();
        await SyncAllAsync(app);
        (await QuickBooksOracle.MismatchesAsync(app, Realm, Ct)).ShouldBeEmpty();
        var invoice = await UnpaidSentInvoiceAsync(app);
        var row = await QboRowAsync(app, "Invoice", SyncEntityType.Invoice, invoice.Id);
        await QboUpdateAsync(app, "Invoice", new QboInvoice { Id = (string)row["Id"]!, SyncToken = (string)row["SyncToken"]!, Sparse = true, CustomerMemo = new QboMemo("Changed by the bookkeeper") });
        var maria = await WithDbAsync(app, db => db.Clients.SingleAsync(c => c.DisplayName == "Maria O'Brien", Ct));
        var customer = await QboRowAsync(app, "Customer", SyncEntityType.Client, maria.Id);
        await QboUpdateAsync(app, "Customer", new QboCustomer { Id = (string)customer["Id"]!, SyncToken = (string)customer["SyncToken"]!, Sparse = true, CompanyName = "Not in Jobkore" });

        var mismatches = await QuickBooksOracle.MismatchesAsync(app, Realm, Ct);

        mismatches.ShouldContain(m => m.Contains($"invoice {invoice.Number}", StringComparison.Ordinal) && m.Contains("CustomerMemo", StringComparison.Ordinal));
        mismatches.ShouldContain(m => m.Contains("Maria O'Brien", StringComparison.Ordinal) && m.Contains("CompanyName", StringComparison.Ordinal));
        mismatches.Count.ShouldBe(2, string.Join("\n", mismatches));
    }

    private static async Task SyncAllAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        await scope.ServiceProvider.GetRequiredService<SyncEngine>().SyncAllAsync(Ct);
    }

    private static async Task SyncInvoiceAsync(QuickBooksApp app, int invoiceId)
    {
        await using var scope = app.SignedInScope();
        await scope.ServiceProvider.GetRequiredService<SyncEngine>().SyncInvoiceAsync(invoiceId, Ct);
    }

    private static async Task<T> WithDbAsync<T>(QuickBooksApp app, Func<JobkoreDbContext, Task<T>> read)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        return await read(db);
    }

    private static Task<Invoice> UnpaidSentInvoiceAsync(QuickBooksApp app) =>
        WithDbAsync(app, db => db.Invoices.AsNoTracking().FirstAsync(i => i.Status == InvoiceStatus.Sent && !i.Payments.Any() && i.Client!.DisplayName != "Bob's Burgers", Ct));

    /// <summary>A payment that alone pays its invoice, of a client QuickBooks takes (not Bob's Burgers).</summary>
    private static Task<(int PaymentId, int InvoiceId, string Number, DateOnly Date)> LonePaymentAsync(QuickBooksApp app) =>
        WithDbAsync(app, db => db.Payments
            .Where(p => p.Invoice!.Client!.DisplayName != "Bob's Burgers" && p.Invoice.Payments.Count == 1)
            .Select(p => new ValueTuple<int, int, string, DateOnly>(p.Id, p.InvoiceId, p.Invoice!.Number, p.Date)).FirstAsync(Ct));

    private static async Task RemovePaymentAsync(QuickBooksApp app, int paymentId)
    {
        await using var scope = app.SignedInScope();
        await scope.ServiceProvider.GetRequiredService<PaymentService>().DeleteAsync(paymentId, Ct);
    }

    /// <summary>The first <paramref name="count"/> clients linked to a QuickBooks customer, of those QuickBooks takes (not Bob's Burgers).</summary>
    private static async Task<List<Client>> LinkedClientsAsync(QuickBooksApp app, int count)
    {
        var clients = await WithDbAsync(app, db => db.Clients.AsNoTracking()
            .Where(c => c.DisplayName != "Bob's Burgers" && db.SyncRecords.Any(r => r.RealmId == Realm && r.EntityType == SyncEntityType.Client && r.EntityId == c.Id && r.QboId != null))
            .OrderBy(c => c.Id).Take(count).ToListAsync(Ct));
        clients.Count.ShouldBe(count);
        return clients;
    }

    private static async Task SwapNamesAsync(QuickBooksApp app, Client first, Client second)
    {
        await using var scope = app.SignedInScope();
        var service = scope.ServiceProvider.GetRequiredService<ClientService>();
        await service.UpdateAsync(first.Id, first.Details with { DisplayName = second.DisplayName }, Ct);
        await service.UpdateAsync(second.Id, second.Details with { DisplayName = first.DisplayName }, Ct);
    }

    /// <summary>The client's or item's record has not failed, and QuickBooks holds it under <paramref name="name"/>; returns QuickBooks' record.</summary>
    private static async Task<JsonObject> ShouldBeInQuickBooksAsAsync(QuickBooksApp app, SyncEntityType type, int id, string name)
    {
        var record = (await RecordAsync(app, type, id))!;
        record.Failed.ShouldBeFalse(record.LastError);
        var (entity, field, qboName) = type == SyncEntityType.Client ? ("Customer", "DisplayName", QboNames.DisplayName(name)) : ("Item", "Name", QboNames.ItemName(name));
        var row = await QboRowAsync(app, entity, type, id);
        ((string)row[field]!).ShouldBe(qboName);
        return row;
    }

    private static Task<SyncRecord?> RecordAsync(QuickBooksApp app, SyncEntityType type, int id) =>
        WithDbAsync(app, db => db.SyncRecords.AsNoTracking().SingleOrDefaultAsync(r => r.RealmId == Realm && r.EntityType == type && r.EntityId == id, Ct));

    private static Task<List<string?>> HistoryAsync(QuickBooksApp app, SyncEntityType type, int id) =>
        WithDbAsync(app, db => db.SyncAttempts.AsNoTracking().Where(a => a.EntityType == type && a.EntityId == id).Select(a => a.ErrorMessage).ToListAsync(Ct));

    private static async Task<JsonObject> QboRowAsync(QuickBooksApp app, string entity, SyncEntityType type, int id)
    {
        var qboId = (await RecordAsync(app, type, id))?.QboId ?? throw new InvalidOperationException($"{type} {id} is not linked to QuickBooks.");
        return QuickBooksApp.Rows(await app.SandboxAsync(), entity).Single(r => (string?)r["Id"] == qboId);
    }

    private static async Task<SyncStatus> StatusAsync(QuickBooksApp app, int invoiceId)
    {
        await using var scope = app.SignedInScope();
        return (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ForInvoicesAsync(Realm, [invoiceId], Ct))[invoiceId];
    }

    private static async Task<PendingCount> PendingAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(Realm, Ct);
    }

    private static Task<int> BobsFailedDocumentsAsync(QuickBooksApp app) => WithDbAsync(app, async db =>
        await db.Invoices.CountAsync(i => i.Client!.DisplayName == "Bob's Burgers" && i.Status != InvoiceStatus.Draft && i.Status != InvoiceStatus.Void, Ct)
        + await db.Payments.CountAsync(p => p.Invoice!.Client!.DisplayName == "Bob's Burgers", Ct));

    private static async Task VoidAsync(QuickBooksApp app, int invoiceId)
    {
        await using var scope = app.SignedInScope();
        await scope.ServiceProvider.GetRequiredService<InvoiceService>().VoidAsync(invoiceId, Ct);
    }

    private static async Task<int> NewClientWithInvoiceAsync(QuickBooksApp app, string name, string number)
    {
        await using var scope = app.SignedInScope();
        var clientId = await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(Drafts.Client(name), Ct);
        await scope.ServiceProvider.GetRequiredService<InvoiceService>().CreateAsync(Drafts.Invoice(clientId, number, 0m, Drafts.Line(1, 50m)), markSent: true, Ct);
        return clientId;
    }

    /// <summary>A bookkeeper's change in QuickBooks, through the API.</summary>
    private static async Task<QboResponse> QboCreateAsync<T>(QuickBooksApp app, string entity, T body)
        where T : QboEntity
    {
        await using var scope = app.SignedInScope();
        var company = await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().GetCompanyAsync(Ct);
        return await scope.ServiceProvider.GetRequiredService<QboApiClient>().CreateAsync(company, entity, body, "bookkeeper-" + Guid.NewGuid().ToString("N"), Ct);
    }

    private static async Task QboUpdateAsync<T>(QuickBooksApp app, string entity, T body)
        where T : QboEntity
    {
        await using var scope = app.SignedInScope();
        var company = await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().GetCompanyAsync(Ct);
        await scope.ServiceProvider.GetRequiredService<QboApiClient>().UpdateAsync(company, entity, body, "bookkeeper-" + Guid.NewGuid().ToString("N"), Ct);
    }

    private static async Task MismatchesShouldBeEmptyAsync(QuickBooksApp app) => (await QuickBooksOracle.MismatchesAsync(app, Realm, Ct)).ShouldBeEmpty();
}

using System.Text.Json.Nodes;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.QuickBooks.Settings;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>The sync engine against the built-in sandbox over real HTTP, on the demo business (25 clients, 12 items, 60 invoices).</summary>
public sealed class SyncEngineTests : IAsyncLifetime
{
    private const string Realm = QuickBooksApp.AcmeRealm;
    private QuickBooksApp _app = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await QuickBooksApp.ConnectedAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<SyncSummary> SyncAllAsync()
    {
        await using var scope = _app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncEngine>().SyncAllAsync(Ct);
    }

    private async Task<PendingCount> PendingAsync()
    {
        await using var scope = _app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(Realm, Ct);
    }

    private Task<JsonObject> SandboxAsync() => _app.SandboxAsync();

    private static List<JsonObject> Rows(JsonObject company, string entity) => QuickBooksApp.Rows(company, entity);

    private async Task<T> WithDbAsync<T>(Func<JobkoreDbContext, Task<T>> read)
    {
        await using var scope = _app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        return await read(db);
    }

    private async Task<SyncRecord?> RecordAsync(SyncEntityType type, int id) =>
        await WithDbAsync(db => db.SyncRecords.AsNoTracking().SingleOrDefaultAsync(r => r.RealmId == Realm && r.EntityType == type && r.EntityId == id, Ct));

    [Fact]
    public async Task SyncAll_DemoBusiness_SendsEverythingButTheVendorClash_AndLinksTheExistingCustomer()
    {
        var before = await PendingAsync();
        before.Waiting.ShouldBeGreaterThan(40);

        var summary = await SyncAllAsync();

        var after = await PendingAsync();
        var bobsInvoices = await WithDbAsync(db => db.Invoices.CountAsync(i => i.Client!.DisplayName == "Bob's Burgers" && i.Status != InvoiceStatus.Draft
            && i.Status != InvoiceStatus.Void, Ct));
        var bobsPayments = await WithDbAsync(db => db.Payments.CountAsync(p => p.Invoice!.Client!.DisplayName == "Bob's Burgers", Ct));
        after.ShouldBe(new PendingCount(bobsInvoices + bobsPayments, bobsInvoices + bobsPayments), "only Bob's Burgers' documents wait, all failed");
        summary.Failed.ShouldBe(1 + bobsInvoices + bobsPayments);

        var sandbox = await SandboxAsync();
        Rows(sandbox, "Customer").Count(c => (string?)c["DisplayName"] == "Maria O'Brien").ShouldBe(1);
        var bob = await WithDbAsync(db => db.Clients.SingleAsync(c => c.DisplayName == "Bob's Burgers", Ct));
        var bobRecord = (await RecordAsync(SyncEntityType.Client, bob.Id)).ShouldNotBeNull();
        bobRecord.Failed.ShouldBeTrue();
        bobRecord.LastErrorCode.ShouldBe("6240");
        bobRecord.LastError.ShouldBe("QuickBooks already has a vendor or employee named 'Bob's Burgers'. Rename the client in Jobkore or in QuickBooks, then retry.");
        var bobInvoice = await WithDbAsync(db => db.Invoices.FirstAsync(i => i.ClientId == bob.Id && i.Status != InvoiceStatus.Draft && i.Status != InvoiceStatus.Void, Ct));
        (await RecordAsync(SyncEntityType.Invoice, bobInvoice.Id))!.LastError.ShouldBe(
            $"Invoice {bobInvoice.Number} was not sent because its client 'Bob's Burgers' could not be sent. Fix that first; this invoice follows on the next sync.");
    }

    [Fact]
    public async Task SyncAll_Twice_SendsNothingTheSecondTime()
    {
        await SyncAllAsync();
        var sandbox = await SandboxAsync();

        var again = await SyncAllAsync();

        again.Synced.ShouldBe(0);
        var unchanged = await SandboxAsync();
        foreach (var entity in new[] { "Customer", "Item", "Invoice", "Payment" })
        {
            Rows(unchanged, entity).Count.ShouldBe(Rows(sandbox, entity).Count, entity);
        }
    }

    [Fact]
    public async Task ItemsAndPayments_UseTheChosenAccounts_AndInvoicesMatchJobkoresTotals()
    {
        await using (var scope = _app.SignedInScope())
        {
            var chart = await scope.ServiceProvider.GetRequiredService<IQuickBooksAccounts>().ListAsync(Ct);
            var checking = chart.Single(a => a.Name == "Checking");
            var product = chart.Single(a => a.Name == "Sales of Product Income");
            await scope.ServiceProvider.GetRequiredService<QuickBooksSettingsService>().SaveAsync(Realm, new QuickBooksSettingsInput(false, checking.Id, product.Id), Ct);
        }

        await SyncAllAsync();

        var sandbox = await SandboxAsync();
        var accounts = Rows(sandbox, "Account").ToDictionary(a => (string)a["Name"]!, a => (string)a["Id"]!);
        var created = Rows(sandbox, "Item").Where(i => (string?)i["Name"] != "Hours").ToList();
        created.ShouldNotBeEmpty();
        created.ShouldAllBe(i => (string?)i["IncomeAccountRef"]!["value"] == accounts["Sales of Product Income"]);
        var payments = Rows(sandbox, "Payment");
        payments.ShouldNotBeEmpty();
        payments.ShouldAllBe(p => (string?)p["DepositToAccountRef"]!["value"] == accounts["Checking"]);
        payments.ShouldAllBe(p => p["PaymentMethodRef"] != null, "every demo payment method has a QuickBooks payment method of that name");
        var totals = await WithDbAsync(db => db.Invoices.Where(i => i.Status != InvoiceStatus.Draft && i.Status != InvoiceStatus.Void).ToDictionaryAsync(i => i.Number, i => i.Total, Ct));
        foreach (var invoice in Rows(sandbox, "Invoice"))
        {
            ((decimal)invoice["TotalAmt"]!).ShouldBe(totals[(string)invoice["DocNumber"]!], (string?)invoice["DocNumber"]);
        }
    }

    [Fact]
    public async Task PaymentsWithoutAChosenDepositAccount_LandInUndepositedFunds()
    {
        await SyncAllAsync();

        var sandbox = await SandboxAsync();
        var undeposited = Rows(sandbox, "Account").Single(a => (string?)a["AccountSubType"] == "UndepositedFunds");
        Rows(sandbox, "Payment").ShouldAllBe(p => (string?)p["DepositToAccountRef"]!["value"] == (string?)undeposited["Id"]);
    }

    [Fact]
    public async Task EditedInvoice_IsEditedThenUpdatedInQuickBooks()
    {
        await SyncAllAsync();
        var (id, number) = await WithDbAsync(db => db.Invoices.Where(i => i.Status == InvoiceStatus.Sent && i.Client!.DisplayName != "Bob's Burgers")
            .Select(i => new ValueTuple<int, string>(i.Id, i.Number)).FirstAsync(Ct));
        await using (var scope = _app.SignedInScope())
        {
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            var draft = (await invoices.GetForEditAsync(id, Ct))!.Draft;
            await invoices.UpdateAsync(id, draft with { Lines = [.. draft.Lines, new InvoiceLineDraft(null, "Extra visit", 1, 75m, false)] }, markSent: false, Ct);
            (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ForInvoicesAsync(Realm, [id], Ct))[id].ShouldBe(SyncStatus.Edited);
        }

        await SyncAllAsync();

        await using (var scope = _app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ForInvoicesAsync(Realm, [id], Ct))[id].ShouldBe(SyncStatus.UpToDate);
        }

        var total = await WithDbAsync(db => db.Invoices.Where(i => i.Id == id).Select(i => i.Total).SingleAsync(Ct));
        var inQbo = Rows(await SandboxAsync(), "Invoice").Single(i => (string?)i["DocNumber"] == number);
        ((decimal)inQbo["TotalAmt"]!).ShouldBe(total);
        inQbo["Line"]!.AsArray().ShouldContain(l => (string?)l!["Description"] == "Extra visit");
    }

    [Fact]
    public async Task VoidedInvoice_IsVoidedInQuickBooks_AndOneVoidedBeforeItWasSentSendsNothing()
    {
        await SyncAllAsync();
        var (syncedId, syncedNumber) = await WithDbAsync(db => db.Invoices.Where(i => i.Status == InvoiceStatus.Sent && !i.Payments.Any() && i.Client!.DisplayName != "Bob's Burgers")
            .Select(i => new ValueTuple<int, string>(i.Id, i.Number)).FirstAsync(Ct));
        int neverSentId;
        await using (var scope = _app.SignedInScope())
        {
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            await invoices.VoidAsync(syncedId, Ct);
            var client = await WithDbAsync(db => db.Clients.Where(c => c.DisplayName == "Maria O'Brien").Select(c => c.Id).SingleAsync(Ct));
            neverSentId = await invoices.CreateAsync(Drafts.Invoice(client, "INV-NEVER", 0m, Drafts.Line(1, 10m)), markSent: true, Ct);
            await invoices.VoidAsync(neverSentId, Ct);
            var before = (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ForInvoiceAsync(neverSentId, Ct))!;
            before.Status.ShouldBe(SyncStatus.NotSynced, "it was issued: QuickBooks may have it under its number");
            before.Message.ShouldBe("Voided before it reached QuickBooks. The next sync makes sure QuickBooks has no invoice of its number, and voids it there if it has this one.");
        }

        await SyncAllAsync();

        var sandbox = await SandboxAsync();
        var voided = Rows(sandbox, "Invoice").Single(i => (string?)i["DocNumber"] == syncedNumber);
        ((decimal)voided["TotalAmt"]!).ShouldBe(0m);
        ((string?)voided["PrivateNote"]).ShouldStartWith("Voided");
        Rows(sandbox, "Invoice").ShouldNotContain(i => (string?)i["DocNumber"] == "INV-NEVER");
        await using var check = _app.SignedInScope();
        (await check.ServiceProvider.GetRequiredService<SyncStatuses>().ForInvoicesAsync(Realm, [neverSentId], Ct))[neverSentId].ShouldBe(SyncStatus.UpToDate);
    }

    [Fact]
    public async Task PaymentDeletedInJobkore_IsVoidedInQuickBooks()
    {
        await SyncAllAsync();
        var paymentId = await WithDbAsync(db => db.Payments.Where(p => p.Invoice!.Client!.DisplayName != "Bob's Burgers").Select(p => p.Id).FirstAsync(Ct));
        var qboId = (await RecordAsync(SyncEntityType.Payment, paymentId))!.QboId;
        await using (var scope = _app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<Jobkore.Core.Payments.PaymentService>().DeleteAsync(paymentId, Ct);
        }

        await SyncAllAsync();

        var voided = Rows(await SandboxAsync(), "Payment").Single(p => (string?)p["Id"] == qboId);
        ((decimal)voided["TotalAmt"]!).ShouldBe(0m);
        (await RecordAsync(SyncEntityType.Payment, paymentId)).ShouldBeNull();
    }

    [Fact]
    public async Task PaymentRemovedSoItsInvoiceCouldBeVoided_BothReachQuickBooksInOneRun()
    {
        await SyncAllAsync();
        var (paymentId, invoiceId) = await WithDbAsync(async db => await db.Payments.Where(p => p.Invoice!.Client!.DisplayName != "Bob's Burgers" && p.Invoice.Payments.Count == 1)
            .Select(p => new ValueTuple<int, int>(p.Id, p.InvoiceId)).FirstAsync(Ct));
        await using (var scope = _app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<Jobkore.Core.Payments.PaymentService>().DeleteAsync(paymentId, Ct);
            await scope.ServiceProvider.GetRequiredService<InvoiceService>().VoidAsync(invoiceId, Ct);
        }

        await SyncAllAsync();

        var record = (await RecordAsync(SyncEntityType.Invoice, invoiceId))!;
        record.Failed.ShouldBeFalse(record.LastError);
        var invoiceQboId = record.QboId;
        var invoice = Rows(await SandboxAsync(), "Invoice").Single(i => (string?)i["Id"] == invoiceQboId);
        ((string)invoice["PrivateNote"]!).ShouldStartWith("Voided");
        (await RecordAsync(SyncEntityType.Payment, paymentId)).ShouldBeNull();
    }

    /// <summary>
    /// Kept mappings link everything back; cleared ones make the next sync link by name (customers, items), number
    /// (invoices) and invoice, amount and date (payments). Either way QuickBooks gets no second copy.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DisconnectAndReconnect_KeepingOrClearingMappings_CreatesNothingNew(bool keepMappings)
    {
        await SyncAllAsync();
        var before = await SandboxAsync();
        await using (var scope = _app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().DisconnectAsync(keepMappings, Ct);
        }

        await _app.ConnectAcmeAsync();
        await SyncAllAsync();

        var after = await SandboxAsync();
        foreach (var entity in new[] { "Customer", "Item", "Invoice", "Payment" })
        {
            Rows(after, entity).Count.ShouldBe(Rows(before, entity).Count, entity);
        }

        var pending = await PendingAsync();
        pending.Waiting.ShouldBe(pending.Failed, "only the vendor clash's documents still wait");
    }
}

/// <summary>An invoice deleted in QuickBooks after it was synced.</summary>
public sealed class SyncDeletedInQuickBooksTests : IAsyncLifetime
{
    private QuickBooksApp _app = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await QuickBooksApp.ConnectedAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>Syncs everything, then deletes in QuickBooks, as a bookkeeper would, a sent invoice with no payments.</summary>
    private static async Task<(Invoice Invoice, SyncRecord Record)> SyncAllThenDeleteAnInvoiceInQuickBooksAsync(IServiceProvider services, SyncEngine engine, JobkoreDbContext db)
    {
        await engine.SyncAllAsync(Ct);
        var invoice = await db.Invoices.AsNoTracking().FirstAsync(i => i.Status == InvoiceStatus.Sent && !i.Payments.Any() && i.Client!.DisplayName != "Bob's Burgers", Ct);
        var record = await db.SyncRecords.AsNoTracking().SingleAsync(r => r.EntityType == SyncEntityType.Invoice && r.EntityId == invoice.Id, Ct);
        var company = await services.GetRequiredService<QuickBooksConnectionService>().GetCompanyAsync(Ct);
        var qbo = services.GetRequiredService<Jobkore.Core.QuickBooks.Client.QboApiClient>();
        var current = (await qbo.ReadAsync(company, "Invoice", record.QboId!, Ct)).Invoice!;
        await qbo.DeleteAsync(company, "Invoice", current.Id!, current.SyncToken!, "test-delete-" + invoice.Id, Ct);
        return (invoice, record);
    }

    [Fact]
    public async Task EditOfAnInvoiceDeletedInQuickBooks_IsFlaggedDeletedAndNotSent_AndReCreateSendsItAgain()
    {
        await using var scope = _app.SignedInScope();
        var services = scope.ServiceProvider;
        var engine = services.GetRequiredService<SyncEngine>();
        await using var db = await services.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var (invoice, record) = await SyncAllThenDeleteAnInvoiceInQuickBooksAsync(services, engine, db);
        var invoices = services.GetRequiredService<InvoiceService>();
        var draft = (await invoices.GetForEditAsync(invoice.Id, Ct))!.Draft;
        await invoices.UpdateAsync(invoice.Id, draft with { Memo = "Edited after the bookkeeper deleted it" }, markSent: false, Ct);
        var statuses = services.GetRequiredService<SyncStatuses>();

        await engine.SyncInvoiceAsync(invoice.Id, Ct);

        (await statuses.ForInvoicesAsync(QuickBooksApp.AcmeRealm, [invoice.Id], Ct))[invoice.Id].ShouldBe(SyncStatus.DeletedInQuickBooks);
        (await db.SyncAttempts.AsNoTracking().Where(a => a.EntityType == SyncEntityType.Invoice && a.EntityId == invoice.Id).OrderBy(a => a.Id)
            .Select(a => a.Operation).ToListAsync(Ct)).ShouldBe(["Create", "Check"], "the look at QuickBooks' changes found it deleted; nothing was sent for it");
        (await statuses.PendingCountAsync(QuickBooksApp.AcmeRealm, Ct)).ChangedInQuickBooks.ShouldBe(1);

        await engine.RecreateInvoiceAsync(invoice.Id, Ct);
        var company = await services.GetRequiredService<QuickBooksConnectionService>().GetCompanyAsync(Ct);
        var qbo = services.GetRequiredService<Jobkore.Core.QuickBooks.Client.QboApiClient>();

        var recreated = await db.SyncRecords.AsNoTracking().SingleAsync(r => r.EntityType == SyncEntityType.Invoice && r.EntityId == invoice.Id, Ct);
        recreated.Failed.ShouldBeFalse();
        recreated.QboId.ShouldNotBe(record.QboId);
        var again = (await qbo.ReadAsync(company, "Invoice", recreated.QboId!, Ct)).Invoice!;
        again.DocNumber.ShouldBe(invoice.Number);
        again.CustomerMemo!.Value.ShouldBe("Edited after the bookkeeper deleted it");
        (await statuses.ForInvoicesAsync(QuickBooksApp.AcmeRealm, [invoice.Id], Ct))[invoice.Id].ShouldBe(SyncStatus.UpToDate);
        (await statuses.PendingCountAsync(QuickBooksApp.AcmeRealm, Ct)).ChangedInQuickBooks.ShouldBe(0);
    }

    [Fact]
    public async Task VoidOfAnInvoiceDeletedInQuickBooks_NeedsNothingMore_AndStopsWaiting()
    {
        await using var scope = _app.SignedInScope();
        var services = scope.ServiceProvider;
        var engine = services.GetRequiredService<SyncEngine>();
        await using var db = await services.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var (invoice, _) = await SyncAllThenDeleteAnInvoiceInQuickBooksAsync(services, engine, db);
        await services.GetRequiredService<InvoiceService>().VoidAsync(invoice.Id, Ct);
        var statuses = services.GetRequiredService<SyncStatuses>();
        var waiting = (await statuses.PendingCountAsync(QuickBooksApp.AcmeRealm, Ct)).Waiting;

        await engine.SyncInvoiceAsync(invoice.Id, Ct);

        (await statuses.ForInvoicesAsync(QuickBooksApp.AcmeRealm, [invoice.Id], Ct))[invoice.Id].ShouldBe(SyncStatus.UpToDate);
        (await statuses.PendingCountAsync(QuickBooksApp.AcmeRealm, Ct)).Waiting.ShouldBe(waiting - 1);
        (await db.SyncRecords.AsNoTracking().SingleAsync(r => r.EntityType == SyncEntityType.Invoice && r.EntityId == invoice.Id, Ct)).QboId.ShouldBeNull();
        (await db.SyncAttempts.AsNoTracking().Where(a => a.EntityType == SyncEntityType.Invoice && a.EntityId == invoice.Id).OrderBy(a => a.Id).Select(a => a.ErrorMessage).ToListAsync(Ct))
            .Last().ShouldBe($"Invoice {invoice.Number} is not in QuickBooks any more (deleted there): nothing left to void.");
    }

    [Fact]
    public async Task EditOfAnInvoiceChangedMeanwhileInQuickBooks_IsFlaggedNotOverwritten_AndSendJobkoresVersionAppliesIt()
    {
        await using var scope = _app.SignedInScope();
        var services = scope.ServiceProvider;
        var engine = services.GetRequiredService<SyncEngine>();
        await engine.SyncAllAsync(Ct);
        await using var db = await services.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var invoice = await db.Invoices.AsNoTracking().FirstAsync(i => i.Status == InvoiceStatus.Sent && i.Client!.DisplayName != "Bob's Burgers", Ct);
        var record = await db.SyncRecords.AsNoTracking().SingleAsync(r => r.EntityType == SyncEntityType.Invoice && r.EntityId == invoice.Id, Ct);
        var company = await services.GetRequiredService<QuickBooksConnectionService>().GetCompanyAsync(Ct);
        var qbo = services.GetRequiredService<Jobkore.Core.QuickBooks.Client.QboApiClient>();
        var current = (await qbo.ReadAsync(company, "Invoice", record.QboId!, Ct)).Invoice!;
        await qbo.UpdateAsync(company, "Invoice", new Jobkore.Core.QuickBooks.Models.QboInvoice { Id = current.Id, SyncToken = current.SyncToken, Sparse = true, PrivateNote = "Bookkeeper's note" },
            "test-bookkeeper-" + invoice.Id, Ct);
        var invoices = services.GetRequiredService<InvoiceService>();
        var draft = (await invoices.GetForEditAsync(invoice.Id, Ct))!.Draft;
        await invoices.UpdateAsync(invoice.Id, draft with { Memo = "Jobkore's change" }, markSent: false, Ct);
        var statuses = services.GetRequiredService<SyncStatuses>();

        await engine.SyncInvoiceAsync(invoice.Id, Ct);

        var flagged = (await statuses.ForInvoiceAsync(invoice.Id, Ct))!;
        flagged.Status.ShouldBe(SyncStatus.ChangedInQuickBooks);
        flagged.Differences.Select(d => (d.Field, d.QuickBooks)).ShouldBe([("private note", "Bookkeeper's note")]);
        (await qbo.ReadAsync(company, "Invoice", record.QboId!, Ct)).Invoice!.PrivateNote.ShouldBe("Bookkeeper's note", "nothing was sent over the bookkeeper's change");

        (await services.GetRequiredService<Jobkore.Core.Sync.Changes.QuickBooksChangeChoices>().SendJobkoreVersionAsync(SyncEntityType.Invoice, invoice.Id, Ct))!
            .Outcome.ShouldBe(SyncRunOutcome.Completed);

        var after = await db.SyncRecords.AsNoTracking().SingleAsync(r => r.EntityType == SyncEntityType.Invoice && r.EntityId == invoice.Id, Ct);
        after.Failed.ShouldBeFalse();
        after.Drift.ShouldBe(SyncDrift.None);
        var sent = (await qbo.ReadAsync(company, "Invoice", record.QboId!, Ct)).Invoice!;
        sent.CustomerMemo!.Value.ShouldBe("Jobkore's change");
        sent.PrivateNote.ShouldNotBe("Bookkeeper's note");
        (await statuses.ForInvoicesAsync(QuickBooksApp.AcmeRealm, [invoice.Id], Ct))[invoice.Id].ShouldBe(SyncStatus.UpToDate);
        (await db.SyncAttempts.AsNoTracking().Where(a => a.EntityType == SyncEntityType.Invoice && a.EntityId == invoice.Id).OrderBy(a => a.Id)
            .Select(a => $"{a.Operation} {(a.Succeeded ? "ok" : a.ErrorCode)}").ToListAsync(Ct))
            .ShouldBe(["Create ok", "Check ok", "Resend ok", "Update ok"], "the look read QuickBooks' SyncToken too, so the update was not stale");
        (await QuickBooksOracle.MismatchesAsync(_app, QuickBooksApp.AcmeRealm, Ct)).ShouldBeEmpty();
    }
}

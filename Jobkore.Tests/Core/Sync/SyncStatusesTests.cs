using Jobkore.Core.Clients;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Payments;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Tests.Core.Sync;

/// <summary>The content hash kept in each save, and the statuses and waiting count derived from it (docs/design.md §4).</summary>
public sealed class SyncStatusesTests : DatabaseTest
{
    private const string Realm = "9341452713218474";
    private const string OtherRealm = "9341452713218475";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Connected to <see cref="Realm"/>: the waiting count is the connected company's.</summary>
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await using var scope = Db.CreateScope();
        var protector = scope.Get<Jobkore.Core.QuickBooks.Connections.QboTokenProtector>();
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        db.QuickBooksConnections.Add(new Jobkore.Core.QuickBooks.Connections.QuickBooksConnection(Db.Business.Id, Realm, "Acme Plumbing & Heating LLC", "BuiltInSandbox", "Dana Rivera",
            TestServices.Now, new Jobkore.Core.QuickBooks.Connections.ProtectedTokens(protector.Protect("access"), TestServices.Now.AddHours(1), protector.Protect("refresh"), TestServices.Now.AddDays(100))));
        await db.SaveChangesAsync(Ct);
    }

    private async Task<int> InvoiceAsync(string number, bool sent = true)
    {
        await using var scope = Db.CreateScope();
        var clientId = await scope.Get<ClientService>().CreateAsync(Drafts.Client("Client of " + number), Ct);
        return await scope.Get<InvoiceService>().CreateAsync(Drafts.Invoice(clientId, number, 8m, Drafts.Line(2, 100m), Drafts.Line(1, 50m, taxable: true)), sent, Ct);
    }

    private async Task<string?> HashAsync(int invoiceId)
    {
        await using var scope = Db.CreateScope();
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        return await db.Invoices.Where(i => i.Id == invoiceId).Select(i => EF.Property<string?>(i, "SyncHash")).SingleAsync(Ct);
    }

    /// <summary>Records what a successful push would: QBO id and the hash of the snapshot sent.</summary>
    private async Task MarkPushedAsync(int invoiceId, string realmId, string? hash = null, bool failed = false)
    {
        await using var scope = Db.CreateScope();
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var record = new SyncRecord(Db.Business.Id, realmId, SyncEntityType.Invoice, invoiceId);
        if (failed)
        {
            record.FailedWith("QuickBooks already has a vendor named 'Bob's Burgers'.", "6240", "tid-1", Db.Time.GetUtcNow());
        }
        else
        {
            record.Succeeded("130", "0", hash ?? (await HashAsync(invoiceId))!, Db.Time.GetUtcNow());
        }

        db.SyncRecords.Add(record);
        await db.SaveChangesAsync(Ct);
    }

    private async Task<(PendingCount Count, SyncStatus Status)> StateAsync(int invoiceId, string realmId = Realm)
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<SyncStatuses>();
        return (await sut.PendingCountAsync(realmId, Ct), (await sut.ForInvoicesAsync(realmId, [invoiceId], Ct))[invoiceId]);
    }

    [Fact]
    public async Task Save_OfAnInvoice_StoresItsContentHash_AndAnEditToASentFieldChangesIt()
    {
        var id = await InvoiceAsync("INV-1");
        var created = await HashAsync(id);
        created.ShouldNotBeNull();
        created.Length.ShouldBe(32);

        await using (var scope = Db.CreateScope())
        {
            var draft = Drafts.Invoice((await scope.Get<InvoiceService>().GetForEditAsync(id, Ct))!.Draft.ClientId, "INV-1", 8m, Drafts.Line(3, 100m), Drafts.Line(1, 50m, taxable: true));
            await scope.Get<InvoiceService>().UpdateAsync(id, draft, markSent: true, Ct);
        }

        (await HashAsync(id)).ShouldNotBe(created);
    }

    [Fact]
    public async Task Save_OfAPaymentOnAnInvoice_LeavesTheInvoicesHashAlone()
    {
        var id = await InvoiceAsync("INV-1");
        var before = await HashAsync(id);

        await using (var scope = Db.CreateScope())
        {
            await scope.Get<PaymentService>().RecordAsync(id, new PaymentEntry(20m, Drafts.Issued, PaymentMethod.Check, "1001"), Ct);
        }

        (await HashAsync(id)).ShouldBe(before);
    }

    [Fact]
    public async Task NewSentInvoice_IsNotSyncedAndWaiting_ButADraftDoesNotWait()
    {
        var sent = await InvoiceAsync("INV-1");
        await InvoiceAsync("INV-2", sent: false);

        var (count, status) = await StateAsync(sent);

        status.ShouldBe(SyncStatus.NotSynced);
        count.ShouldBe(new PendingCount(1, 0));
    }

    [Fact]
    public async Task PushedInvoice_IsUpToDate_ThenEditedAfterAnEdit()
    {
        var id = await InvoiceAsync("INV-1");
        await MarkPushedAsync(id, Realm);
        (await StateAsync(id)).ShouldBe((new PendingCount(0, 0), SyncStatus.UpToDate));

        await using (var scope = Db.CreateScope())
        {
            var client = (await scope.Get<InvoiceService>().GetForEditAsync(id, Ct))!.Draft.ClientId;
            await scope.Get<InvoiceService>().UpdateAsync(id, Drafts.Invoice(client, "INV-1", 8m, Drafts.Line(2, 100m)), markSent: true, Ct);
        }

        (await StateAsync(id)).ShouldBe((new PendingCount(1, 0), SyncStatus.Edited));
    }

    [Fact]
    public async Task FailedInvoice_IsFailedAndCountedApart()
    {
        var id = await InvoiceAsync("INV-1");
        await MarkPushedAsync(id, Realm, failed: true);

        (await StateAsync(id)).ShouldBe((new PendingCount(1, 1), SyncStatus.Failed));
    }

    [Fact]
    public async Task MappingsBelongToARealm_AnInvoicePushedToAnotherCompanyIsNotSyncedHere()
    {
        var id = await InvoiceAsync("INV-1");
        await MarkPushedAsync(id, OtherRealm);

        (await StateAsync(id, Realm)).ShouldBe((new PendingCount(1, 0), SyncStatus.NotSynced));
        (await StateAsync(id, OtherRealm)).Status.ShouldBe(SyncStatus.UpToDate, "with the other company");
    }

    [Fact]
    public async Task InvoiceVoidedBeforeItWasEverSynced_WaitsUntilARunFindsQuickBooksHasNone_AVoidedDraftNeverWaits_ASyncedOneVoidedLaterIsEdited()
    {
        var neverSynced = await InvoiceAsync("INV-1");
        var synced = await InvoiceAsync("INV-2");
        var draft = await InvoiceAsync("INV-3", sent: false);
        await MarkPushedAsync(synced, Realm);

        await using (var scope = Db.CreateScope())
        {
            await scope.Get<InvoiceService>().VoidAsync(neverSynced, Ct);
            await scope.Get<InvoiceService>().VoidAsync(synced, Ct);
            await scope.Get<InvoiceService>().VoidAsync(draft, Ct);
        }

        // An issued invoice may be in QuickBooks under its number (links cleared, entered there): "up to date" waits for the check.
        (await StateAsync(neverSynced)).ShouldBe((new PendingCount(2, 0), SyncStatus.NotSynced));
        (await StateAsync(synced)).Status.ShouldBe(SyncStatus.Edited);
        (await StateAsync(draft)).Status.ShouldBe(SyncStatus.UpToDate);

        await using (var scope = Db.CreateScope())
        {
            await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
            var record = new SyncRecord(Db.Business.Id, Realm, SyncEntityType.Invoice, neverSynced);
            record.NothingToSend((await HashAsync(neverSynced))!, Db.Time.GetUtcNow());
            db.SyncRecords.Add(record);
            await db.SaveChangesAsync(Ct);
        }

        (await StateAsync(neverSynced)).ShouldBe((new PendingCount(1, 0), SyncStatus.UpToDate));
    }

    [Fact]
    public async Task Payments_WaitUntilPushed()
    {
        var id = await InvoiceAsync("INV-1");
        await MarkPushedAsync(id, Realm);
        int paymentId;
        await using (var scope = Db.CreateScope())
        {
            paymentId = await scope.Get<PaymentService>().RecordAsync(id, new PaymentEntry(20m, Drafts.Issued, PaymentMethod.Check, "1001"), Ct);
        }

        (await StateAsync(id)).Count.ShouldBe(new PendingCount(1, 0));

        await using (var scope = Db.CreateScope())
        {
            await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
            var hash = await db.Payments.Where(p => p.Id == paymentId).Select(p => EF.Property<string>(p, "SyncHash")).SingleAsync(Ct);
            var record = new SyncRecord(Db.Business.Id, Realm, SyncEntityType.Payment, paymentId);
            record.Succeeded("140", "0", hash, Db.Time.GetUtcNow());
            db.SyncRecords.Add(record);
            await db.SaveChangesAsync(Ct);
        }

        (await StateAsync(id)).Count.ShouldBe(new PendingCount(0, 0));
    }

    [Fact]
    public void Derive_PushedButQuickBooksTotalDiffers_IsAWarningNotUpToDate()
    {
        var record = new SyncRecord(1, Realm, SyncEntityType.Invoice, 7);
        record.Succeeded("130", "0", "hash-1", TestServices.Now, "Amount differs in QuickBooks: 108.25 there, 108.00 in Jobkore.");

        SyncStatuses.Derive(record, "hash-1").ShouldBe(SyncStatus.Warning);
        SyncStatuses.Derive(record, "hash-2").ShouldBe(SyncStatus.Edited);
    }

    [Fact]
    public void Derive_AnInvoiceWithARemovedPaymentQuickBooksStillHolds_WaitsUntilItIsVoided_AndHasFailedWhenItsVoidFailed()
    {
        var invoice = new SyncRecord(1, Realm, SyncEntityType.Invoice, 7);
        invoice.Succeeded("130", "0", "hash-1", TestServices.Now);
        var removed = new SyncRecord(1, Realm, SyncEntityType.Payment, 9);
        removed.Pays(7);
        removed.Succeeded("140", "0", "pay-1", TestServices.Now);

        SyncStatuses.Derive(invoice, "hash-1", removedPayment: removed).ShouldBe(SyncStatus.Edited);
        SyncStatuses.Derive(invoice, "hash-2", removedPayment: removed).ShouldBe(SyncStatus.Edited);

        removed.FailedWith("QuickBooks still has the payment: the books are closed for its date.", "6210", "tid-1", TestServices.Now);
        SyncStatuses.Derive(invoice, "hash-1", removedPayment: removed).ShouldBe(SyncStatus.Failed);
        SyncStatuses.Derive(invoice, "hash-1").ShouldBe(SyncStatus.UpToDate, "the engine itself sends the invoice only for its own content");

        invoice.ChangedInQuickBooks("[]", "1", TestServices.Now);
        SyncStatuses.Derive(invoice, "hash-1", removedPayment: removed).ShouldBe(SyncStatus.ChangedInQuickBooks, "a person's choice comes first");
    }

    [Fact]
    public void Pays_IsForPaymentsOnly()
    {
        Should.Throw<InvalidOperationException>(() => new SyncRecord(1, Realm, SyncEntityType.Invoice, 7).Pays(3));
    }
}

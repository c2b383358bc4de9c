using System.Text.Json.Nodes;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Changes;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>
/// Needs attention against the built-in sandbox over real HTTP: every record that needs a person is listed under its
/// cause, and the fix each offers leaves QuickBooks as promised and the record off the list.
/// </summary>
public sealed class NeedsAttentionTests
{
    private const string Realm = QuickBooksApp.AcmeRealm;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AVendorNameClash_ListsTheClientAsNameInUse_AndWhatWaitsForIt_AndRenamingThenRetrying_SendsThemAll()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        await SyncAllAsync(app);
        int bobId;
        int[] waiting;
        await using (var db = await DbAsync(app))
        {
            bobId = await db.Clients.Where(c => c.DisplayName == "Bob's Burgers").Select(c => c.Id).SingleAsync(Ct);
            waiting = [.. await db.Invoices.Where(i => i.ClientId == bobId && i.Status != InvoiceStatus.Draft && i.Status != InvoiceStatus.Void).Select(i => i.Id).ToListAsync(Ct)];
        }

        var list = await ListAsync(app);

        var clash = list.Items.Where(i => i.Cause == AttentionCause.NameInUse).ShouldHaveSingleItem();
        (clash.Type, clash.Id, clash.Name).ShouldBe((SyncEntityType.Client, bobId, "Bob's Burgers"));
        clash.Message.ShouldContain("vendor or employee named 'Bob's Burgers'");
        list.Items.Where(i => i.Type == SyncEntityType.Invoice).Select(i => (i.Id, i.Cause)).Order()
            .ShouldBe(waiting.Order().Select(id => (id, AttentionCause.WaitsForAnother)));
        list.Items.Where(i => i.Type == SyncEntityType.Payment).ShouldAllBe(i => i.Cause == AttentionCause.WaitsForAnother && i.ClientName == "Bob's Burgers");
        list.Items.Where(i => i.Type == SyncEntityType.Invoice).ShouldAllBe(i => i.ClientName == "Bob's Burgers" && i.InvoiceId == i.Id);
        list.Total.ShouldBe(list.Items.Count);
        (await PendingAsync(app)).Failed.ShouldBe(list.Items.Count(i => i.Type is SyncEntityType.Invoice or SyncEntityType.Payment), "the list and the card's failed count agree");

        await app.RenameTheClientThatClashesAsync();
        await using (var scope = app.SignedInScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<NeedsAttention>().RetryAsync(SyncEntityType.Client, bobId, Ct);
            result.ShouldNotBeNull().Outcome.ShouldBe(SyncRunOutcome.Completed, result.Message);
        }

        (await ListAsync(app)).Items.ShouldBeEmpty();
        var customers = QuickBooksApp.Rows(await app.SandboxAsync(), "Customer");
        var renamed = customers.Where(c => (string?)c["DisplayName"] == "Bob's Burgers (restaurant)").ShouldHaveSingleItem();
        var invoices = QuickBooksApp.Rows(await app.SandboxAsync(), "Invoice");
        foreach (var id in waiting)
        {
            var record = await RecordAsync(app, SyncEntityType.Invoice, id);
            invoices.Where(i => (string?)i["Id"] == record.QboId).ShouldHaveSingleItem()["CustomerRef"]!["value"]!.GetValue<string>().ShouldBe((string)renamed["Id"]!);
        }
    }

    [Fact]
    public async Task ARefusedInvoice_AChangeInQuickBooks_AndAnAmountDifference_AreEachListedUnderTheirCause_AndTheirFixesTakeThemOff()
    {
        await using var app = await QuickBooksApp.ConnectedAsync(settings: new() { ["QuickBooks:Webhooks:Enabled"] = "true", ["QuickBooks:Webhooks:BatchWindow"] = "00:00:00.100" });
        await app.RenameTheClientThatClashesAsync();
        await SyncAllAsync(app);
        (await ListAsync(app)).Items.ShouldBeEmpty();
        var (refused, itemId) = await SentInvoiceWithAnItemAsync(app, except: []);
        var changed = (await SentInvoiceWithAnItemAsync(app, except: [refused])).InvoiceId;
        var differs = (await SentInvoiceWithAnItemAsync(app, except: [refused, changed])).InvoiceId;

        // The bookkeeper made the invoice's product inactive; the invoice, edited here, is refused on its retry.
        await app.SetItemActiveInQuickBooksAsync(itemId, active: false);
        await app.EditMemoAsync(refused, "Gate code 1234");
        await RetryAsync(app, SyncEntityType.Invoice, refused);

        // Someone changed another invoice in QuickBooks (the webhook brings it in).
        await app.AsQuickBooksUserAsync($"invoice/{(await RecordAsync(app, SyncEntityType.Invoice, changed)).QboId}/update", new JsonObject { ["PrivateNote"] = "Bookkeeper's note" });
        await Eventually.WaitUntilAsync(async () => (await ListAsync(app)).Items.Any(i => i.Id == changed), "the change in QuickBooks never reached the list");

        // QuickBooks answered a push with another total (its own sales tax): the engine keeps the warning on the record.
        await using (var db = await DbAsync(app))
        {
            var record = await db.SyncRecords.SingleAsync(r => r.RealmId == Realm && r.EntityType == SyncEntityType.Invoice && r.EntityId == differs, Ct);
            record.Succeeded(record.QboId!, record.QboSyncToken!, record.PushedHash!, TimeProvider.System.GetUtcNow(), warning: "Amount differs in QuickBooks: 110.00 there, 100.00 in Jobkore.");
            await db.SaveChangesAsync(Ct);
        }

        var list = await ListAsync(app);

        // The product made inactive in QuickBooks is, for Jobkore, deleted there (the webhook brought that in too).
        list.Items.Select(i => (i.Type, i.Id, i.Cause)).ShouldBe([
            (SyncEntityType.Invoice, refused, AttentionCause.Refused),
            (SyncEntityType.Invoice, differs, AttentionCause.AmountDiffers),
            (SyncEntityType.Invoice, changed, AttentionCause.ChangedInQuickBooks),
            (SyncEntityType.CatalogItem, itemId, AttentionCause.DeletedInQuickBooks),
        ]);
        list.Items[0].Message.ShouldContain("inactive or missing in QuickBooks");
        list.Items[1].Message.ShouldStartWith("Amount differs in QuickBooks");

        // The fixes: the product re-created, then the invoice retried (it takes the product with it); QuickBooks' version kept.
        await using (var scope = app.SignedInScope())
        {
            var choices = scope.ServiceProvider.GetRequiredService<QuickBooksChangeChoices>();
            (await choices.SendJobkoreVersionAsync(SyncEntityType.CatalogItem, itemId, Ct)).ShouldBeNull("a catalog item goes with the next sync");
            await choices.KeepQuickBooksVersionAsync(SyncEntityType.Invoice, changed, Ct);
        }

        await RetryAsync(app, SyncEntityType.Invoice, refused);

        (await ListAsync(app)).Items.Select(i => i.Id).ShouldBe([differs]);
        var sandbox = await app.SandboxAsync();
        var refusedQboId = (await RecordAsync(app, SyncEntityType.Invoice, refused)).QboId;
        QuickBooksApp.Rows(sandbox, "Invoice").Single(i => (string?)i["Id"] == refusedQboId)["CustomerMemo"]!["value"]!.GetValue<string>().ShouldBe("Gate code 1234");
        var itemQboId = (await RecordAsync(app, SyncEntityType.CatalogItem, itemId)).QboId;
        QuickBooksApp.Rows(sandbox, "Item").Single(i => (string?)i["Id"] == itemQboId)["Active"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task AutomatedSalesTaxInQuickBooks_ListsTheInvoiceAsAmountDiffers_AndSendingAgainAfterItIsTurnedOff_LeavesTheTotalsEqual()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        await app.AsQuickBooksUserAsync("preferences/update", new JsonObject { ["TaxPrefs"] = new JsonObject { ["PartnerTaxEnabled"] = true } });
        int invoiceId;
        await using (var scope = app.SignedInScope())
        {
            int clientId;
            await using (var db = await DbAsync(app))
            {
                clientId = await db.Clients.Where(c => c.DisplayName == "Maria O'Brien").Select(c => c.Id).SingleAsync(Ct);
            }

            invoiceId = await scope.ServiceProvider.GetRequiredService<Jobkore.Core.Invoices.InvoiceService>()
                .CreateAsync(Drafts.Invoice(clientId, "AST-1", 8.25m, Drafts.Line(1, 100m, taxable: true)), markSent: true, Ct);
        }

        await RetryAsync(app, SyncEntityType.Invoice, invoiceId);

        var differs = (await ListAsync(app)).Items.ShouldHaveSingleItem();
        (differs.Type, differs.Id, differs.Cause).ShouldBe((SyncEntityType.Invoice, invoiceId, AttentionCause.AmountDiffers));
        differs.Message.ShouldContain("108.00");
        differs.Message.ShouldContain("108.25");
        (await QboTotalAsync(app, invoiceId)).ShouldBe(108.00m, "QuickBooks' own 8% over the 8.25% sent");

        // Sent again while automated sales tax is still on: QuickBooks computes its own tax again, and the list says so still.
        await using (var scope = app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<NeedsAttention>().SendAgainAsync(SyncEntityType.Invoice, invoiceId, Ct)).ShouldNotBeNull().Outcome.ShouldBe(SyncRunOutcome.Completed);
        }

        (await ListAsync(app)).Items.ShouldHaveSingleItem().Cause.ShouldBe(AttentionCause.AmountDiffers);

        // The bookkeeper turns it off; sent again, QuickBooks holds Jobkore's total and nothing needs attention.
        await app.AsQuickBooksUserAsync("preferences/update", new JsonObject { ["TaxPrefs"] = new JsonObject { ["PartnerTaxEnabled"] = false } });
        await using (var scope = app.SignedInScope())
        {
            var attention = scope.ServiceProvider.GetRequiredService<NeedsAttention>();
            (await attention.SendAgainAsync(SyncEntityType.Invoice, invoiceId, Ct)).ShouldNotBeNull().Outcome.ShouldBe(SyncRunOutcome.Completed);
            (await Should.ThrowAsync<DomainRuleException>(() => attention.SendAgainAsync(SyncEntityType.Invoice, invoiceId, Ct))).Message.ShouldContain("nothing to send again");
        }

        (await ListAsync(app)).Items.ShouldBeEmpty();
        (await QboTotalAsync(app, invoiceId)).ShouldBe(108.25m);
        (await RecordAsync(app, SyncEntityType.Invoice, invoiceId)).Warning.ShouldBeNull();
        (await QuickBooksOracle.MismatchesAsync(app, Realm, Ct)).ShouldBeEmpty();
    }

    private static async Task<decimal> QboTotalAsync(QuickBooksApp app, int invoiceId)
    {
        var qboId = (await RecordAsync(app, SyncEntityType.Invoice, invoiceId)).QboId;
        return QuickBooksApp.Rows(await app.SandboxAsync(), "Invoice").Single(i => (string?)i["Id"] == qboId)["TotalAmt"]!.GetValue<decimal>();
    }

    [Theory]
    [InlineData(SyncStatus.Failed, "6240", AttentionCause.NameInUse)]
    [InlineData(SyncStatus.Failed, SyncErrorMessages.SameNameCode, AttentionCause.NameInUse)]
    [InlineData(SyncStatus.Failed, "6140", AttentionCause.NumberInUse)]
    [InlineData(SyncStatus.Failed, SyncErrorMessages.WaitsForAnotherCode, AttentionCause.WaitsForAnother)]
    [InlineData(SyncStatus.Failed, "3200", AttentionCause.Connection)]
    [InlineData(SyncStatus.Failed, null, AttentionCause.NoAnswer)]
    [InlineData(SyncStatus.Failed, "3001", AttentionCause.NoAnswer)]
    [InlineData(SyncStatus.Failed, "2500", AttentionCause.Refused)]
    [InlineData(SyncStatus.Warning, null, AttentionCause.AmountDiffers)]
    [InlineData(SyncStatus.DeletedInQuickBooks, null, AttentionCause.DeletedInQuickBooks)]
    [InlineData(SyncStatus.VoidedInQuickBooks, null, AttentionCause.VoidedInQuickBooks)]
    [InlineData(SyncStatus.Edited, "2500", null)]
    [InlineData(SyncStatus.NotSynced, null, null)]
    [InlineData(SyncStatus.UpToDate, null, null)]
    [InlineData(SyncStatus.QuickBooksVersionKept, null, null)]
    public void CauseOf_GroupsByWhatFixesIt(SyncStatus status, string? code, AttentionCause? cause) =>
        NeedsAttention.CauseOf(status, code).ShouldBe(cause);

    private static async Task<AttentionList> ListAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<NeedsAttention>().ListAsync(Ct);
    }

    private static async Task RetryAsync(QuickBooksApp app, SyncEntityType type, int id)
    {
        await using var scope = app.SignedInScope();
        var result = await scope.ServiceProvider.GetRequiredService<NeedsAttention>().RetryAsync(type, id, Ct);
        result.ShouldNotBeNull().Outcome.ShouldBe(SyncRunOutcome.Completed, result.Message);
    }

    private static async Task SyncAllAsync(QuickBooksApp app)
    {
        var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
        result.Outcome.ShouldBe(SyncRunOutcome.Completed, result.Message);
    }

    private static async Task<PendingCount> PendingAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(Realm, Ct);
    }

    private static async Task<JobkoreDbContext> DbAsync(QuickBooksApp app)
    {
        var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
    }

    private static async Task<SyncRecord> RecordAsync(QuickBooksApp app, SyncEntityType type, int id)
    {
        await using var db = await DbAsync(app);
        return await db.SyncRecords.AsNoTracking().SingleAsync(r => r.RealmId == Realm && r.EntityType == type && r.EntityId == id, Ct);
    }

    /// <summary>A sent invoice without payments whose first line is a catalog item, and that item.</summary>
    private static async Task<(int InvoiceId, int ItemId)> SentInvoiceWithAnItemAsync(QuickBooksApp app, int[] except)
    {
        await using var db = await DbAsync(app);
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).OrderBy(i => i.Id)
            .FirstAsync(i => i.Status == InvoiceStatus.Sent && !i.Payments.Any() && i.Lines.Any(l => l.CatalogItemId != null) && !except.Contains(i.Id), Ct);
        return (invoice.Id, invoice.Lines.First(l => l.CatalogItemId != null).CatalogItemId!.Value);
    }
}

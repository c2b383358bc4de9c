using System.Text.Json.Nodes;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Payments;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Tracking;
using Jobkore.Core.SyncState;
using Jobkore.QuickBooksSandbox.FaultInjection;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>
/// The pending set that the waiting count, the filters and the engine read is kept by every save; after every kind of
/// change it equals the set derived from scratch, and the card's counts equal what the badges of every record say.
/// </summary>
public sealed class SyncPendingTests
{
    private const string Realm = QuickBooksApp.AcmeRealm;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThePendingSet_EqualsTheDerivedOne_AndTheCountsTheBadges_AfterEveryKindOfChange()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        await ShouldAgreeAsync(app, "connected, nothing sent yet");

        await SyncNowAsync(app);
        await ShouldAgreeAsync(app, "after Sync Now");
        (await CountsAsync(app)).Failed.ShouldBeGreaterThan(0, "the demo's vendor-name clash fails");

        await using (var scope = app.SignedInScope())
        {
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            var payments = scope.ServiceProvider.GetRequiredService<PaymentService>();
            var sent = await SentInvoiceIdsAsync(app);

            var edited = sent[0];
            var draft = (await invoices.GetForEditAsync(edited, Ct))!.Draft;
            await invoices.UpdateAsync(edited, draft with { Memo = "Edited after it was sent" }, markSent: false, Ct);
            await ShouldAgreeAsync(app, "an invoice edited");

            await invoices.UpdateAsync(edited, draft, markSent: false, Ct);
            await ShouldAgreeAsync(app, "the edit undone");

            var paymentId = await payments.RecordAsync(sent[1], new PaymentEntry(5m, Drafts.Issued, PaymentMethod.Check, "CHK-1"), Ct);
            await ShouldAgreeAsync(app, "a payment recorded");

            await invoices.VoidAsync(sent[2], Ct);
            await ShouldAgreeAsync(app, "a sent invoice voided");

            var clientId = await ClientOfAsync(app, sent[3]);
            var newInvoice = await invoices.CreateAsync(Drafts.Invoice(clientId, "PEND-1", 8m, Drafts.Line(2, 80m)), markSent: true, Ct);
            var newDraft = await invoices.CreateAsync(Drafts.Invoice(clientId, "PEND-2", 8m, Drafts.Line(1, 40m)), markSent: false, Ct);
            await ShouldAgreeAsync(app, "an invoice and a draft created");

            app.Faults.Configure(Realm, new FaultSettings { ServerErrorRate = 1 });
            await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
            app.Faults.Clear();
            await ShouldAgreeAsync(app, "a run QuickBooks answered with errors");

            await SyncNowAsync(app);
            await ShouldAgreeAsync(app, "the failures sent again");

            await payments.DeleteAsync(paymentId, Ct);
            await ShouldAgreeAsync(app, "a sent payment deleted");
            await invoices.MarkSentAsync(newDraft, Ct);
            await ShouldAgreeAsync(app, "a draft marked sent");

            await SyncNowAsync(app);
            await ShouldAgreeAsync(app, "after Sync Now again");

            var refusedPayment = await payments.RecordAsync(sent[4], new PaymentEntry(7m, Drafts.Issued, PaymentMethod.Check, "CHK-2"), Ct);
            await SyncNowAsync(app);
            await app.CloseBooksInQuickBooksAsync(Drafts.Issued);
            await payments.DeleteAsync(refusedPayment, Ct);
            await ShouldAgreeAsync(app, "a sent payment deleted in a closed period");
            await SyncNowAsync(app);
            await ShouldAgreeAsync(app, "its void refused, the books being closed");
            await app.CloseBooksInQuickBooksAsync(null);
            await SyncNowAsync(app);
            await ShouldAgreeAsync(app, "the books open again and the payment voided");

            var qboId = await QboIdAsync(app, SyncEntityType.Invoice, newInvoice);
            await app.AsQuickBooksUserAsync($"invoice/{qboId}/update", new JsonObject { ["PrivateNote"] = "Bookkeeper's note" });
            await SyncNowAsync(app);
            await ShouldAgreeAsync(app, "an invoice changed in QuickBooks");
            (await CountsAsync(app)).ChangedInQuickBooks.ShouldBe(1);
        }

        await DisconnectAsync(app, keepMappings: true);
        await ShouldAgreeAsync(app, "disconnected, mappings kept");
        await using (var scope = app.SignedInScope())
        {
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            var id = (await SentInvoiceIdsAsync(app))[0];
            var draft = (await invoices.GetForEditAsync(id, Ct))!.Draft;
            await invoices.UpdateAsync(id, draft with { Memo = "Edited while disconnected" }, markSent: false, Ct);
        }

        await app.ConnectAcmeAsync();
        await ShouldAgreeAsync(app, "connected again");
        await DisconnectAsync(app, keepMappings: false);
        await app.ConnectAcmeAsync();
        await ShouldAgreeAsync(app, "connected afresh, every mapping forgotten");
        (await CountsAsync(app)).Waiting.ShouldBeGreaterThan(0, "with no mappings, everything waits again");
    }

    [Fact]
    public async Task RederivingThePendingSet_FromScratch_LeavesItAsTheSavesKeptIt()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        await SyncNowAsync(app);
        await using (var scope = app.SignedInScope())
        {
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            var id = (await SentInvoiceIdsAsync(app))[0];
            var draft = (await invoices.GetForEditAsync(id, Ct))!.Draft;
            await invoices.UpdateAsync(id, draft with { Memo = "Edited" }, markSent: false, Ct);
        }

        var kept = await EntriesAsync(app);
        await using (var scope = app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<SyncStatuses>().RederivePendingAsync(Ct);
        }

        (await EntriesAsync(app)).ShouldBe(kept);
        kept.ShouldContain(e => e.Type == SyncEntityType.Invoice && e.Waiting);
    }

    /// <summary>
    /// The kept set equals the one derived from scratch, and the counts equal what every record's own badge says:
    /// waiting = invoices (not drafts) and payments whose status waits; failed, those failed; changed, flagged records of every kind.
    /// </summary>
    private static async Task ShouldAgreeAsync(QuickBooksApp app, string after)
    {
        var kept = await EntriesAsync(app);
        var derived = new List<(SyncEntityType, int, bool, bool, bool)>();
        await using (var db = await DbAsync(app))
        {
            if (!await db.QuickBooksConnections.AnyAsync(c => c.Status != QuickBooksConnectionStatus.Disconnected, Ct))
            {
                (await db.SyncPending.CountAsync(Ct)).ShouldBe(0, $"no company is connected {after}: nothing is pending");
                return;
            }

            foreach (var type in SyncPendingSet.Types)
            {
                derived.AddRange((await SyncPendingSet.DeriveAsync(db, Realm, type, null, Ct)).Select(e => (e.EntityType, e.EntityId, e.Waiting, e.Failed, e.Flagged)));
            }
        }

        kept.ShouldBe([.. derived.Order()], $"the kept pending set differs from the derived one {after}");

        var badges = await BadgesAsync(app);
        var counts = await CountsAsync(app);
        var documents = badges.Where(b => b.Type is SyncEntityType.Invoice or SyncEntityType.Payment && !b.Draft).ToList();
        counts.ShouldBe(new PendingCount(
            documents.Count(b => b.Status.IsWaiting()),
            documents.Count(b => b.Status == SyncStatus.Failed),
            badges.Count(b => b.Status.IsFlagged())), $"the counts differ from the badges {after}");
    }

    private static async Task<List<(SyncEntityType Type, int Id, bool Waiting, bool Failed, bool Flagged)>> EntriesAsync(QuickBooksApp app)
    {
        await using var db = await DbAsync(app);
        return [.. (await db.SyncPending.AsNoTracking().Where(e => e.RealmId == Realm).ToListAsync(Ct))
            .Select(e => (e.EntityType, e.EntityId, e.Waiting, e.Failed, e.Flagged)).Order()];
    }

    /// <summary>Every record's status as its badge shows it, through the views the pages read.</summary>
    private static async Task<List<(SyncEntityType Type, SyncStatus Status, bool Draft)>> BadgesAsync(QuickBooksApp app)
    {
        List<int> invoiceIds, drafts, paymentIds, clientIds, itemIds;
        await using (var db = await DbAsync(app))
        {
            invoiceIds = await db.Invoices.Select(i => i.Id).ToListAsync(Ct);
            drafts = await db.Invoices.Where(i => i.Status == InvoiceStatus.Draft).Select(i => i.Id).ToListAsync(Ct);
            paymentIds = await db.Payments.Select(p => p.Id).ToListAsync(Ct);
            clientIds = await db.Clients.Select(c => c.Id).ToListAsync(Ct);
            itemIds = await db.CatalogItems.Select(i => i.Id).ToListAsync(Ct);
        }

        await using var scope = app.SignedInScope();
        var statuses = scope.ServiceProvider.GetRequiredService<SyncStatuses>();
        var badges = new List<(SyncEntityType, SyncStatus, bool)>();
        badges.AddRange((await statuses.ViewsForInvoicesAsync(invoiceIds, Ct))!.Select(v => (SyncEntityType.Invoice, v.Value.Status, drafts.Contains(v.Key))));
        foreach (var (type, ids) in new[] { (SyncEntityType.Payment, paymentIds), (SyncEntityType.Client, clientIds), (SyncEntityType.CatalogItem, itemIds) })
        {
            badges.AddRange((await statuses.ViewsAsync(type, ids, Ct))!.Values.Select(v => (type, v.Status, false)));
        }

        return badges;
    }

    private static async Task<PendingCount> CountsAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(Realm, Ct);
    }

    private static async Task SyncNowAsync(QuickBooksApp app)
    {
        var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
        result.Outcome.ShouldBe(SyncRunOutcome.Completed, result.Message);
    }

    private static async Task DisconnectAsync(QuickBooksApp app, bool keepMappings)
    {
        await using var scope = app.SignedInScope();
        (await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().DisconnectAsync(keepMappings, Ct)).SyncStillRunning.ShouldBeFalse();
    }

    private static async Task<List<int>> SentInvoiceIdsAsync(QuickBooksApp app)
    {
        await using var db = await DbAsync(app);
        return await db.Invoices.Where(i => i.Status == InvoiceStatus.Sent && !i.Payments.Any() && i.Client!.DisplayName != "Bob's Burgers")
            .OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(Ct);
    }

    private static async Task<int> ClientOfAsync(QuickBooksApp app, int invoiceId)
    {
        await using var db = await DbAsync(app);
        return await db.Invoices.Where(i => i.Id == invoiceId).Select(i => i.ClientId).SingleAsync(Ct);
    }

    private static async Task<string> QboIdAsync(QuickBooksApp app, SyncEntityType type, int id)
    {
        await using var db = await DbAsync(app);
        return await db.SyncRecords.Where(r => r.EntityType == type && r.EntityId == id).Select(r => r.QboId!).SingleAsync(Ct);
    }

    private static async Task<JobkoreDbContext> DbAsync(QuickBooksApp app)
    {
        var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
    }
}

using System.Text.Json.Nodes;
using Jobkore.Core.Clients;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Payments;
using Jobkore.Core.Security;
using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Matching;
using Jobkore.Core.Sync.Tracking;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>
/// Customer match review against the built-in sandbox over real HTTP. The company (the sandbox's second) has customers
/// "Bob's Burgers Inc." and "Bob Smith" (bob.smith@example.com); Jobkore has the demo client "Bob's Burgers" and a new
/// client "Robert Smith" with that email. Both are likely matches: they wait for an admin, and each choice leaves
/// QuickBooks as promised — linked to the customer chosen, a new customer, or nothing at all — with no customer twice.
/// </summary>
public sealed class CustomerMatchReviewTests
{
    private const string Realm = QuickBooksApp.SecondRealm;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scan_AfterConnecting_OffersTheLikelyMatchesWithTheirReasons_AndCountsTheRest()
    {
        await using var app = new QuickBooksApp();
        var (burgersInc, bobSmith) = await SeedCustomersAsync(app);
        var robert = await AddRobertSmithAsync(app);
        await ConnectAsync(app);

        CustomerMatchSummary summary;
        IReadOnlyList<CustomerReviewItem> items;
        await using (var scope = app.SignedInScope())
        {
            var review = scope.ServiceProvider.GetRequiredService<CustomerMatchReview>();
            summary = await review.ScanAsync(Ct);
            items = await review.ListAsync(Ct);
            (await review.CountToReviewAsync(Ct)).ShouldBe(2);
        }

        int clients;
        await using (var db = await DbAsync(app))
        {
            clients = await db.Clients.CountAsync(Ct);
        }

        summary.ShouldBe(new CustomerMatchSummary(SameName: 0, ToReview: 2, New: clients - 2));
        items.Select(i => (i.ClientName, i.State)).ShouldBe([("Bob's Burgers", CustomerMatchState.ToReview), ("Robert Smith", CustomerMatchState.ToReview)]);
        var burgers = items[0].Candidates.ShouldHaveSingleItem();
        (burgers.QboId, burgers.DisplayName, burgers.Active).ShouldBe((burgersInc, "Bob's Burgers Inc.", true));
        burgers.Reasons.ShouldBe(["a near name"]);
        var smith = items[1].Candidates.ShouldHaveSingleItem();
        (smith.QboId, smith.DisplayName, smith.Email).ShouldBe((bobSmith, "Bob Smith", "bob.smith@example.com"));
        smith.Reasons.ShouldBe(["the same email"]);
        (items[1].ClientId, items[1].Invoices).ShouldBe((robert.ClientId, 1));

        // Nothing was sent: a scan only reads.
        QuickBooksApp.Rows(await app.SandboxAsync(Realm), "Customer").Count.ShouldBe(4);
    }

    [Fact]
    public async Task ASync_HoldsTheLikelyMatches_AndEachChoice_LeadsToThePromisedBooks_WithNoCustomerTwice()
    {
        await using var app = new QuickBooksApp();
        var (burgersInc, bobSmith) = await SeedCustomersAsync(app);
        var robert = await AddRobertSmithAsync(app);
        await ConnectAsync(app);
        var bob = await ClientIdAsync(app, "Bob's Burgers");

        // Sync Now without a scan: the run finds the likely matches itself and holds them, with what they carry.
        await SyncAllAsync(app);
        (await AttentionAsync(app)).Items.Where(i => i.Cause == AttentionCause.CustomerToReview).Select(i => (i.Type, i.Id)).Order()
            .ShouldBe(new[] { (SyncEntityType.Client, bob), (SyncEntityType.Client, robert.ClientId) }.Order());
        (await RecordAsync(app, SyncEntityType.Client, bob)).LastError!.ShouldContain("looks like the QuickBooks customer 'Bob's Burgers Inc.' (a near name)");
        (await RecordAsync(app, SyncEntityType.Invoice, robert.InvoiceId)).QboId.ShouldBeNull();
        var customers = await CustomersAsync(app);
        customers.Keys.ShouldNotContain("Bob's Burgers");
        customers.Keys.ShouldNotContain("Robert Smith");
        (await MismatchesAsync(app)).ShouldBeEmpty();

        // Link: Bob's Burgers becomes the existing customer, which takes Jobkore's details; its invoices follow.
        await using (var scope = app.SignedInScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<CustomerMatchReview>().DecideAsync(bob, CustomerMatchState.Link, burgersInc, Ct);
            result.ShouldNotBeNull().Outcome.ShouldBe(SyncRunOutcome.Completed, result.Message);
            result.Summary.Failed.ShouldBe(0);
        }

        (await RecordAsync(app, SyncEntityType.Client, bob)).QboId.ShouldBe(burgersInc);
        customers = await CustomersAsync(app);
        customers.Keys.ShouldNotContain("Bob's Burgers Inc.");
        customers["Bob's Burgers"].ShouldBe(burgersInc);
        await using (var db = await DbAsync(app))
        {
            var sent = await db.Invoices.Where(i => i.ClientId == bob && i.Status != InvoiceStatus.Draft).Select(i => i.Id).ToListAsync(Ct);
            var invoices = QuickBooksApp.Rows(await app.SandboxAsync(Realm), "Invoice");
            foreach (var id in sent)
            {
                var qboId = (await RecordAsync(app, SyncEntityType.Invoice, id)).QboId.ShouldNotBeNull();
                invoices.Single(i => (string?)i["Id"] == qboId)["CustomerRef"]!["value"]!.GetValue<string>().ShouldBe(burgersInc);
            }
        }

        // Don't sync: Robert Smith and its invoice are kept out, say so, and are not counted as waiting.
        var waitingBefore = (await PendingAsync(app)).Waiting;
        await using (var scope = app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<CustomerMatchReview>().DecideAsync(robert.ClientId, CustomerMatchState.DontSync, null, Ct)).ShouldBeNull();
        }

        (await ViewAsync(app, SyncEntityType.Client, robert.ClientId)).Status.ShouldBe(SyncStatus.KeptOut);
        var invoiceView = await InvoiceViewAsync(app, robert.InvoiceId);
        invoiceView.Status.ShouldBe(SyncStatus.KeptOut);
        invoiceView.Message!.ShouldContain("its client is kept out of QuickBooks");
        (await PendingAsync(app)).Waiting.ShouldBe(waitingBefore - 1);
        (await AttentionAsync(app)).Items.ShouldNotContain(i => i.Id == robert.ClientId || i.Id == robert.InvoiceId);
        await SyncAllAsync(app);
        (await CustomersAsync(app)).Keys.ShouldNotContain("Robert Smith");
        (await RecordAsync(app, SyncEntityType.Invoice, robert.InvoiceId)).QboId.ShouldBeNull();

        // Changed back, then Create new: a second customer beside Bob Smith, which stays as it was.
        await using (var scope = app.SignedInScope())
        {
            var review = scope.ServiceProvider.GetRequiredService<CustomerMatchReview>();
            await review.ReopenAsync(robert.ClientId, Ct);
            (await review.CountToReviewAsync(Ct)).ShouldBe(1);
            var result = await review.DecideAsync(robert.ClientId, CustomerMatchState.CreateNew, null, Ct);
            result.ShouldNotBeNull().Summary.Failed.ShouldBe(0);
            (await review.CountToReviewAsync(Ct)).ShouldBe(0);
            await Should.ThrowAsync<DomainRuleException>(() => review.ReopenAsync(robert.ClientId, Ct));
        }

        customers = await CustomersAsync(app);
        customers["Bob Smith"].ShouldBe(bobSmith);
        customers["Robert Smith"].ShouldNotBe(bobSmith);
        var company = await app.SandboxAsync(Realm);
        var names = QuickBooksApp.Rows(company, "Customer").Select(c => (string)c["DisplayName"]!).ToList();
        names.Distinct(StringComparer.OrdinalIgnoreCase).Count().ShouldBe(names.Count, "no customer twice");
        QuickBooksApp.Rows(company, "Customer").Single(c => (string?)c["DisplayName"] == "Bob Smith")["SyncToken"]!.GetValue<string>().ShouldBe("0", "Bob Smith was left alone");
        (await AttentionAsync(app)).Items.ShouldNotContain(i => i.Cause == AttentionCause.CustomerToReview);
        (await MismatchesAsync(app)).ShouldBeEmpty();
        (await InvoiceViewAsync(app, robert.InvoiceId)).Status.ShouldBe(SyncStatus.UpToDate);
    }

    [Fact]
    public async Task KeptOutClients_AreNotWaiting_TheKeptPendingSetEqualsTheDerivedOne_AndAPaymentOfTheirInvoiceIsKeptOutToo()
    {
        await using var app = new QuickBooksApp();
        await SeedCustomersAsync(app);
        var robert = await AddRobertSmithAsync(app);
        await ConnectAsync(app);
        await SyncAllAsync(app);
        await ShouldAgreeAsync(app, "held for review");

        int paymentId;
        await using (var scope = app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<CustomerMatchReview>().DecideAsync(robert.ClientId, CustomerMatchState.DontSync, null, Ct);
            await ShouldAgreeAsync(app, "kept out");
            paymentId = await scope.ServiceProvider.GetRequiredService<PaymentService>().RecordAsync(robert.InvoiceId, new PaymentEntry(50m, Drafts.Issued, PaymentMethod.Cash, null), Ct);
        }

        await ShouldAgreeAsync(app, "a payment of a kept-out invoice");
        (await ViewAsync(app, SyncEntityType.Payment, paymentId)).Status.ShouldBe(SyncStatus.KeptOut);
        await using (var db = await DbAsync(app))
        {
            (await db.SyncPending.AnyAsync(p => p.RealmId == Realm && p.Waiting && (p.EntityId == robert.InvoiceId || p.EntityId == paymentId), Ct)).ShouldBeFalse();
        }

        await using (var scope = app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<CustomerMatchReview>().ReopenAsync(robert.ClientId, Ct);
        }

        await ShouldAgreeAsync(app, "to review again");
        (await ViewAsync(app, SyncEntityType.Payment, paymentId)).Status.ShouldNotBe(SyncStatus.KeptOut);
    }

    [Fact]
    public async Task Staff_SeeTheMatches_ButOnlyAnAdminScansOrDecides()
    {
        await using var app = new QuickBooksApp();
        await SeedCustomersAsync(app);
        var robert = await AddRobertSmithAsync(app);
        await ConnectAsync(app);
        await using (var admin = app.SignedInScope())
        {
            await admin.ServiceProvider.GetRequiredService<CustomerMatchReview>().ScanAsync(Ct);
        }

        await using var staff = app.SignedInScope("Sam Chen", admin: false);
        var review = staff.ServiceProvider.GetRequiredService<CustomerMatchReview>();

        (await review.CanDecideAsync()).ShouldBeFalse();
        (await review.ListAsync(Ct)).Count.ShouldBe(2);
        await Should.ThrowAsync<NotAllowedException>(() => review.ScanAsync(Ct));
        await Should.ThrowAsync<NotAllowedException>(() => review.DecideAsync(robert.ClientId, CustomerMatchState.DontSync, null, Ct));
        await Should.ThrowAsync<NotAllowedException>(() => review.ReopenAsync(robert.ClientId, Ct));
        (await review.ListAsync(Ct)).ShouldAllBe(i => i.State == CustomerMatchState.ToReview);
    }

    [Fact]
    public async Task Disconnect_KeepingTheMappings_KeepsTheChoices_AndClearingThem_ForgetsThemToo()
    {
        await using var app = new QuickBooksApp();
        await SeedCustomersAsync(app);
        var robert = await AddRobertSmithAsync(app);
        await ConnectAsync(app);
        await using (var scope = app.SignedInScope())
        {
            var review = scope.ServiceProvider.GetRequiredService<CustomerMatchReview>();
            await review.ScanAsync(Ct);
            await review.DecideAsync(robert.ClientId, CustomerMatchState.DontSync, null, Ct);
            await scope.ServiceProvider.GetRequiredService<Jobkore.Core.QuickBooks.Connections.QuickBooksConnectionService>().DisconnectAsync(keepMappings: true, Ct);
        }

        await ConnectAsync(app);
        (await InvoiceViewAsync(app, robert.InvoiceId)).Status.ShouldBe(SyncStatus.KeptOut, "the choice is kept with the links");

        await using (var scope = app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<Jobkore.Core.QuickBooks.Connections.QuickBooksConnectionService>().DisconnectAsync(keepMappings: false, Ct);
        }

        await using (var db = await DbAsync(app))
        {
            (await db.CustomerMatches.CountAsync(Ct)).ShouldBe(0);
        }

        await ConnectAsync(app);
        (await InvoiceViewAsync(app, robert.InvoiceId)).Status.ShouldBe(SyncStatus.NotSynced, "a connection afresh compares the clients afresh");
    }

    [Fact]
    public async Task Link_ToACustomerNotOffered_IsRefused_AndNothingChanges()
    {
        await using var app = new QuickBooksApp();
        await SeedCustomersAsync(app);
        var robert = await AddRobertSmithAsync(app);
        await ConnectAsync(app);
        await using var scope = app.SignedInScope();
        var review = scope.ServiceProvider.GetRequiredService<CustomerMatchReview>();
        await review.ScanAsync(Ct);

        var refused = await Should.ThrowAsync<DomainRuleException>(() => review.DecideAsync(robert.ClientId, CustomerMatchState.Link, "999999", Ct));

        refused.Message.ShouldContain("Choose one of the QuickBooks customers offered");
        (await review.ListAsync(Ct)).Single(i => i.ClientId == robert.ClientId).State.ShouldBe(CustomerMatchState.ToReview);
    }

    /// <summary>The customers of the company named in the issue, added as a QuickBooks user would: their ids.</summary>
    private static async Task<(string BurgersInc, string BobSmith)> SeedCustomersAsync(QuickBooksApp app)
    {
        var burgers = await app.AsQuickBooksUserAsync("customer/create", new JsonObject { ["DisplayName"] = "Bob's Burgers Inc." }, Realm);
        var smith = await app.AsQuickBooksUserAsync("customer/create", new JsonObject
        {
            ["DisplayName"] = "Bob Smith", ["GivenName"] = "Bob", ["FamilyName"] = "Smith", ["PrimaryEmailAddr"] = new JsonObject { ["Address"] = "bob.smith@example.com" },
        }, Realm);
        return ((string)burgers["Customer"]!["Id"]!, (string)smith["Customer"]!["Id"]!);
    }

    private static async Task<(int ClientId, int InvoiceId)> AddRobertSmithAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        var clientId = await scope.ServiceProvider.GetRequiredService<ClientService>()
            .CreateAsync(new ClientDetails("Robert Smith", null, "bob.smith@example.com", null, PostalAddress.Empty), Ct);
        var invoiceId = await scope.ServiceProvider.GetRequiredService<InvoiceService>()
            .CreateAsync(Drafts.Invoice(clientId, "RS-1001", 0m, Drafts.Line(2, 95m)), markSent: true, Ct);
        return (clientId, invoiceId);
    }

    private static async Task ConnectAsync(QuickBooksApp app)
    {
        using var client = app.Client();
        (await QuickBooksApp.ConnectAsync(client, Realm)).ShouldBe("/settings/integrations?quickbooks=connected");
    }

    private static async Task SyncAllAsync(QuickBooksApp app)
    {
        var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
        result.Outcome.ShouldBe(SyncRunOutcome.Completed, result.Message);
    }

    /// <summary>The company's customers by display name (each name once: QuickBooks allows no other), to their ids.</summary>
    private static async Task<Dictionary<string, string>> CustomersAsync(QuickBooksApp app) =>
        QuickBooksApp.Rows(await app.SandboxAsync(Realm), "Customer").ToDictionary(c => (string)c["DisplayName"]!, c => (string)c["Id"]!);

    private static Task<IReadOnlyList<string>> MismatchesAsync(QuickBooksApp app) => QuickBooksOracle.MismatchesAsync(app, Realm, Ct);

    private static async Task<AttentionList> AttentionAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<NeedsAttention>().ListAsync(Ct);
    }

    private static async Task<PendingCount> PendingAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(Realm, Ct);
    }

    private static async Task<SyncView> ViewAsync(QuickBooksApp app, SyncEntityType type, int id)
    {
        await using var scope = app.SignedInScope();
        return (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ViewsAsync(type, [id], Ct))![id];
    }

    private static async Task<SyncView> InvoiceViewAsync(QuickBooksApp app, int id)
    {
        await using var scope = app.SignedInScope();
        return (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ViewsForInvoicesAsync([id], Ct))![id];
    }

    /// <summary>The kept pending set equals the one derived from scratch (as <see cref="SyncPendingTests"/> checks it after every other kind of change).</summary>
    private static async Task ShouldAgreeAsync(QuickBooksApp app, string after)
    {
        await using var db = await DbAsync(app);
        var kept = (await db.SyncPending.AsNoTracking().Where(e => e.RealmId == Realm).ToListAsync(Ct)).Select(e => (e.EntityType, e.EntityId, e.Waiting, e.Failed, e.Flagged)).Order().ToList();
        var derived = new List<(SyncEntityType, int, bool, bool, bool)>();
        foreach (var type in SyncPendingSet.Types)
        {
            derived.AddRange((await SyncPendingSet.DeriveAsync(db, Realm, type, null, Ct)).Select(e => (e.EntityType, e.EntityId, e.Waiting, e.Failed, e.Flagged)));
        }

        kept.ShouldBe([.. derived.Order()], $"the kept pending set differs from the derived one when {after}");
    }

    private static async Task<int> ClientIdAsync(QuickBooksApp app, string name)
    {
        await using var db = await DbAsync(app);
        return await db.Clients.Where(c => c.DisplayName == name).Select(c => c.Id).SingleAsync(Ct);
    }

    private static async Task<SyncRecord> RecordAsync(QuickBooksApp app, SyncEntityType type, int id)
    {
        await using var db = await DbAsync(app);
        return await db.SyncRecords.AsNoTracking().SingleAsync(r => r.RealmId == Realm && r.EntityType == type && r.EntityId == id, Ct);
    }

    private static async Task<JobkoreDbContext> DbAsync(QuickBooksApp app)
    {
        var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.QuickBooks.Webhooks;
using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Changes;
using Jobkore.Core.SyncState;
using Jobkore.QuickBooksSandbox;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jobkore.Tests.Sync;

/// <summary>
/// A bookkeeper changes in QuickBooks what Jobkore sent (docs/design.md §11): the sandbox announces it by a signed
/// webhook, Jobkore looks at the change (change data capture) and flags the record, and each choice a person makes
/// leaves the two sides as promised, compared field by field.
/// </summary>
public sealed class QuickBooksChangesTests
{
    private const string Realm = QuickBooksApp.AcmeRealm;
    private const string WebhookPath = "/integrations/quickbooks/webhooks";

    private static readonly Dictionary<string, string?> s_webhooksOn = new()
    {
        ["QuickBooks:Webhooks:Enabled"] = "true",
        ["QuickBooks:Webhooks:BatchWindow"] = "00:00:00.100",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MemoEditedInQuickBooks_ArrivesByWebhook_AsChangedInQuickBooks_WithWhatChanged_AndSyncNowLeavesIt()
    {
        await using var app = await QuickBooksApp.ConnectedAsync(settings: s_webhooksOn);
        var (invoice, qboId) = await SyncedInvoiceAsync(app);

        await app.AsQuickBooksUserAsync($"invoice/{qboId}/update", new JsonObject { ["CustomerMemo"] = new JsonObject { ["value"] = "Fixed by the bookkeeper" } });

        var view = await WaitForStatusAsync(app, invoice.Id, SyncStatus.ChangedInQuickBooks);
        view.Differences.Select(d => (d.Field, d.Jobkore, d.QuickBooks)).ShouldBe([("memo", invoice.Memo, "Fixed by the bookkeeper")]);
        (await PendingAsync(app)).ChangedInQuickBooks.ShouldBe(1);
        (await WebhookEventsAsync(app)).ShouldNotBeEmpty();

        await SyncAllAsync(app);

        (await QboInvoiceAsync(app, qboId))["CustomerMemo"]?["value"]?.GetValue<string>().ShouldBe("Fixed by the bookkeeper", "Sync Now never overwrites a flagged record");
        (await ViewAsync(app, invoice.Id)).Status.ShouldBe(SyncStatus.ChangedInQuickBooks);
    }

    [Fact]
    public async Task SendJobkoresVersion_PutsJobkoresBack_AndKeepQuickBooksVersion_LeavesTheBookkeepersUntilTheInvoiceIsEditedHere()
    {
        await using var app = await QuickBooksApp.ConnectedAsync(settings: s_webhooksOn);
        var (first, firstQboId) = await SyncedInvoiceAsync(app);
        var (second, secondQboId) = await SyncedInvoiceAsync(app, except: first.Id);
        await app.AsQuickBooksUserAsync($"invoice/{firstQboId}/update", new JsonObject { ["PrivateNote"] = "Bookkeeper's note" });
        await app.AsQuickBooksUserAsync($"invoice/{secondQboId}/update", new JsonObject { ["CustomerMemo"] = new JsonObject { ["value"] = "Bookkeeper's memo" } });
        await WaitForStatusAsync(app, first.Id, SyncStatus.ChangedInQuickBooks);
        await WaitForStatusAsync(app, second.Id, SyncStatus.ChangedInQuickBooks);

        await using (var scope = app.SignedInScope())
        {
            var choices = scope.ServiceProvider.GetRequiredService<QuickBooksChangeChoices>();
            (await choices.SendJobkoreVersionAsync(SyncEntityType.Invoice, first.Id, Ct))!.Outcome.ShouldBe(SyncRunOutcome.Completed);
            await choices.KeepQuickBooksVersionAsync(SyncEntityType.Invoice, second.Id, Ct);
        }

        (await ViewAsync(app, first.Id)).Status.ShouldBe(SyncStatus.UpToDate);
        (await QboInvoiceAsync(app, firstQboId))["PrivateNote"]?.GetValue<string>().ShouldNotBe("Bookkeeper's note");
        (await ViewAsync(app, second.Id)).Status.ShouldBe(SyncStatus.QuickBooksVersionKept);
        await SyncAllAsync(app);
        (await QboInvoiceAsync(app, secondQboId))["CustomerMemo"]?["value"]?.GetValue<string>().ShouldBe("Bookkeeper's memo", "kept: not sent again");
        (await ViewAsync(app, second.Id)).Status.ShouldBe(SyncStatus.QuickBooksVersionKept, "Jobkore's own look at the change it kept flags nothing");
        (await PendingAsync(app)).ChangedInQuickBooks.ShouldBe(0);
        (await QuickBooksOracle.MismatchesAsync(app, Realm, Ct)).ShouldBeEmpty("every invoice shown up to date holds in QuickBooks what Jobkore has");

        // Edited in Jobkore again: Jobkore's version goes, whole.
        await using (var scope = app.SignedInScope())
        {
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            var draft = (await invoices.GetForEditAsync(second.Id, Ct))!.Draft;
            await invoices.UpdateAsync(second.Id, draft with { Memo = "Jobkore's memo, later" }, markSent: false, Ct);
        }

        await SyncAllAsync(app);
        (await QboInvoiceAsync(app, secondQboId))["CustomerMemo"]?["value"]?.GetValue<string>().ShouldBe("Jobkore's memo, later");
        (await ViewAsync(app, second.Id)).Status.ShouldBe(SyncStatus.UpToDate);
        (await QuickBooksOracle.MismatchesAsync(app, Realm, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task InvoiceDeletedInQuickBooks_IsDeletedInQuickBooks_AndReCreateSendsItAgain()
    {
        await using var app = await QuickBooksApp.ConnectedAsync(settings: s_webhooksOn);
        var (invoice, qboId) = await SyncedInvoiceAsync(app);

        await app.AsQuickBooksUserAsync($"invoice/{qboId}/delete");

        await WaitForStatusAsync(app, invoice.Id, SyncStatus.DeletedInQuickBooks);
        await using (var scope = app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<QuickBooksChangeChoices>().SendJobkoreVersionAsync(SyncEntityType.Invoice, invoice.Id, Ct))!
                .Outcome.ShouldBe(SyncRunOutcome.Completed);
        }

        var view = await ViewAsync(app, invoice.Id);
        view.Status.ShouldBe(SyncStatus.UpToDate);
        view.QboId.ShouldNotBe(qboId);
        QuickBooksApp.Rows(await app.SandboxAsync(), "Invoice").Count(i => (string?)i["DocNumber"] == invoice.Number).ShouldBe(1);
        (await QuickBooksOracle.MismatchesAsync(app, Realm, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task InvoiceVoidedInQuickBooks_IsVoidedInQuickBooks_AndVoidInJobkoreMakesBothAgree()
    {
        await using var app = await QuickBooksApp.ConnectedAsync(settings: s_webhooksOn);
        var (invoice, qboId) = await SyncedInvoiceAsync(app);

        await app.AsQuickBooksUserAsync($"invoice/{qboId}/void");

        await WaitForStatusAsync(app, invoice.Id, SyncStatus.VoidedInQuickBooks);
        await using (var scope = app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<QuickBooksChangeChoices>().VoidInJobkoreAsync(invoice.Id, Ct)).Outcome.ShouldBe(SyncRunOutcome.Completed);
        }

        (await ViewAsync(app, invoice.Id)).Status.ShouldBe(SyncStatus.UpToDate);
        await using (var db = await DbAsync(app))
        {
            (await db.Invoices.SingleAsync(i => i.Id == invoice.Id, Ct)).Status.ShouldBe(InvoiceStatus.Void);
        }

        (await QuickBooksOracle.MismatchesAsync(app, Realm, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task CustomersMergedInQuickBooks_TheClientIsRelinkedToTheSurvivor_ItsInvoicesStayUpToDate()
    {
        await using var app = await QuickBooksApp.ConnectedAsync(settings: s_webhooksOn);
        var (invoice, _) = await SyncedInvoiceAsync(app);
        await using var db = await DbAsync(app);
        var client = await db.SyncRecords.AsNoTracking().SingleAsync(r => r.EntityType == SyncEntityType.Client && r.EntityId == invoice.ClientId, Ct);
        var survivor = await db.SyncRecords.AsNoTracking()
            .FirstAsync(r => r.EntityType == SyncEntityType.Client && r.EntityId != invoice.ClientId && r.QboId != null, Ct);

        await app.AsQuickBooksUserAsync($"customer/{client.QboId}/merge?into={survivor.QboId}");

        await Eventually.WaitUntilAsync(async () => (await RecordAsync(app, SyncEntityType.Client, invoice.ClientId)).QboId == survivor.QboId, "the client was never relinked");
        var clientView = (await ViewsAsync(app, SyncEntityType.Client, invoice.ClientId))!;
        clientView.Status.ShouldBe(SyncStatus.ChangedInQuickBooks, "the customer it now is has the survivor's name");
        clientView.Differences.ShouldContain(d => d.Field == "name");
        (await ViewAsync(app, invoice.Id)).Status.ShouldBe(SyncStatus.UpToDate, "QuickBooks moved the invoice to the customer Jobkore's client now is");
        QuickBooksApp.Rows(await app.SandboxAsync(), "Customer").Where(c => (bool?)c["Active"] != false).Select(c => (string)c["DisplayName"]!).ShouldBeUnique();

        await using (var scope = app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<QuickBooksChangeChoices>().KeepQuickBooksVersionAsync(SyncEntityType.Client, invoice.ClientId, Ct);
        }

        await SyncAllAsync(app);
        (await ViewsAsync(app, SyncEntityType.Client, invoice.ClientId))!.Status.ShouldBe(SyncStatus.QuickBooksVersionKept);
        (await PendingAsync(app)).ChangedInQuickBooks.ShouldBe(0, "the survivor's own client may differ only if it was changed too");
    }

    [Fact]
    public async Task ItemMadeInactiveInQuickBooks_IsDeletedInQuickBooks_AndReCreateMakesItActiveAgain()
    {
        await using var app = await QuickBooksApp.ConnectedAsync(settings: s_webhooksOn);
        await SyncAllAsync(app);
        await using var db = await DbAsync(app);
        var item = await db.SyncRecords.AsNoTracking().FirstAsync(r => r.EntityType == SyncEntityType.CatalogItem && r.QboId != null, Ct);

        await app.AsQuickBooksUserAsync($"item/{item.QboId}/inactive");

        await Eventually.WaitUntilAsync(async () => (await ViewsAsync(app, SyncEntityType.CatalogItem, item.EntityId))!.Status == SyncStatus.DeletedInQuickBooks,
            "the item never showed as deleted in QuickBooks");
        await using (var scope = app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<QuickBooksChangeChoices>().SendJobkoreVersionAsync(SyncEntityType.CatalogItem, item.EntityId, Ct)).ShouldBeNull();
        }

        await SyncAllAsync(app);
        (await ViewsAsync(app, SyncEntityType.CatalogItem, item.EntityId))!.Status.ShouldBe(SyncStatus.UpToDate);
        ((bool?)QuickBooksApp.Rows(await app.SandboxAsync(), "Item").Single(i => (string)i["Id"]! == item.QboId)["Active"]).ShouldBe(true);
        (await QuickBooksOracle.MismatchesAsync(app, Realm, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ForgedOrMissingSignature_Answers401_AndQueuesNothing()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        var (_, qboId) = await SyncedInvoiceAsync(app);
        var requestsBefore = await RequestRowsAsync(app);
        var body = CloudEvent("forged-1", "updated", qboId, TimeProvider.System.GetUtcNow());

        (await PostWebhookAsync(app, body, QuickBooksWebhookPayload.Sign(body, "not-the-verifier-token"))).ShouldBe(HttpStatusCode.Unauthorized);
        (await PostWebhookAsync(app, body, signature: null)).ShouldBe(HttpStatusCode.Unauthorized);
        (await PostWebhookAsync(app, body, "bm90IGEgc2lnbmF0dXJl")).ShouldBe(HttpStatusCode.Unauthorized);

        (await WebhookEventsAsync(app)).ShouldBeEmpty();
        (await RequestRowsAsync(app)).ShouldBe(requestsBefore, "no look at QuickBooks was queued");
    }

    [Fact]
    public async Task TheSameEventTwice_IsOneChange_AndEventsOfAnotherCompanyAreDropped()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        var (invoice, qboId) = await SyncedInvoiceAsync(app);
        await app.AsQuickBooksUserAsync($"invoice/{qboId}/update", new JsonObject { ["PrivateNote"] = "Changed once" });
        var body = CloudEvent("event-1", "updated", qboId, TimeProvider.System.GetUtcNow());
        var signature = QuickBooksWebhookPayload.Sign(body, QuickBooksSandboxOptions.DemoWebhookVerifierToken);

        (await PostWebhookAsync(app, body, signature)).ShouldBe(HttpStatusCode.OK);
        (await PostWebhookAsync(app, body, signature)).ShouldBe(HttpStatusCode.OK);
        var elsewhere = CloudEvent("event-2", "updated", qboId, TimeProvider.System.GetUtcNow(), realmId: "123000999");
        (await PostWebhookAsync(app, elsewhere, QuickBooksWebhookPayload.Sign(elsewhere, QuickBooksSandboxOptions.DemoWebhookVerifierToken))).ShouldBe(HttpStatusCode.OK);

        await WaitForStatusAsync(app, invoice.Id, SyncStatus.ChangedInQuickBooks);
        await Eventually.WaitUntilAsync(async () => (await WebhookEventsAsync(app)).All(e => e.ProcessedAt is not null), "the event was never processed");
        (await WebhookEventsAsync(app)).Select(e => e.EventId).ShouldBe(["event-1"], "kept once; the other company's is dropped");
        await using var db = await DbAsync(app);
        (await db.SyncAttempts.CountAsync(a => a.EntityType == SyncEntityType.Invoice && a.EntityId == invoice.Id && a.Operation == "Check", Ct)).ShouldBe(1, "one change");
    }

    [Fact]
    public async Task EventsOutOfOrder_TheFinalStateIsQuickBooksLatest()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        var (invoice, qboId) = await SyncedInvoiceAsync(app);
        var at = TimeProvider.System.GetUtcNow();
        await app.AsQuickBooksUserAsync($"invoice/{qboId}/update", new JsonObject { ["PrivateNote"] = "First edit" });
        await app.AsQuickBooksUserAsync($"invoice/{qboId}/update", new JsonObject { ["PrivateNote"] = "Second edit" });

        // The second edit's event arrives first; the first edit's after it.
        var second = CloudEvent("edit-2", "updated", qboId, at.AddSeconds(2));
        var first = CloudEvent("edit-1", "updated", qboId, at.AddSeconds(1));
        (await PostWebhookAsync(app, second, QuickBooksWebhookPayload.Sign(second, QuickBooksSandboxOptions.DemoWebhookVerifierToken))).ShouldBe(HttpStatusCode.OK);
        var view = await WaitForStatusAsync(app, invoice.Id, SyncStatus.ChangedInQuickBooks);
        (await PostWebhookAsync(app, first, QuickBooksWebhookPayload.Sign(first, QuickBooksSandboxOptions.DemoWebhookVerifierToken))).ShouldBe(HttpStatusCode.OK);
        await Eventually.WaitUntilAsync(async () => (await WebhookEventsAsync(app)).Count == 2 && (await WebhookEventsAsync(app)).All(e => e.ProcessedAt is not null),
            "the late event was never processed");

        view = await ViewAsync(app, invoice.Id);
        view.Status.ShouldBe(SyncStatus.ChangedInQuickBooks);
        view.Differences.Single(d => d.Field == "private note").QuickBooks.ShouldBe("Second edit", "what QuickBooks holds now, whatever order the news came in");
    }

    [Fact]
    public async Task WebhookLostThroughEveryRetry_TheDailyLookFindsTheChange()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        await using var app = await QuickBooksApp.ConnectedAsync(time, new()
        {
            ["QuickBooks:Limits:Enabled"] = "false",

            // Delivered to a receiver that never answers, through Intuit's whole retry schedule.
            ["QuickBooks:Webhooks:Enabled"] = "true",
            ["QuickBooks:Webhooks:Url"] = "http://127.0.0.1:9/never-answers",
            ["QuickBooks:Webhooks:RetryTimeScale"] = "100000",
        });
        var (invoice, qboId) = await SyncedInvoiceAsync(app);
        await app.AsQuickBooksUserAsync($"invoice/{qboId}/update", new JsonObject { ["PrivateNote"] = "Nobody was told" });
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        (await ViewAsync(app, invoice.Id)).Status.ShouldBe(SyncStatus.UpToDate, "no webhook reached Jobkore");

        time.Advance(DueChangeChecks.Interval + new SyncOptions().CheckInterval + TimeSpan.FromMinutes(1));

        var view = await WaitForStatusAsync(app, invoice.Id, SyncStatus.ChangedInQuickBooks);
        view.Differences.Single().QuickBooks.ShouldBe("Nobody was told");
    }

    [Fact]
    public async Task IdleConnectedCompany_CostsAtMostOneReadAnHour_AndStillLooksDaily()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        await using var app = await QuickBooksApp.ConnectedAsync(time, new() { ["QuickBooks:Limits:Enabled"] = "false" });
        await SyncAllAsync(app);
        using var recorded = new RecordedTelemetry(app.Services);
        var looksBefore = await ChangesCheckedUpToAsync(app);

        // Two idle days, a quarter of an hour at a time, each step long enough for the worker to look at what is due.
        const int Hours = 48;
        for (var step = 0; step < Hours * 4; step++)
        {
            time.Advance(TimeSpan.FromMinutes(15));
            await Task.Delay(20, Ct);
        }

        await Eventually.WaitUntilAsync(async () => await ChangesCheckedUpToAsync(app) >= looksBefore + TimeSpan.FromDays(1), "the daily look never ran");
        var reads = Jobkore.Core.QuickBooks.Client.QboTelemetryHandler.Reads
            .Sum(kind => recorded.Sum(Jobkore.Core.Telemetry.SyncTelemetry.RequestsName, (Jobkore.Core.Telemetry.SyncTelemetry.Tags.RequestKind, kind)));
        reads.ShouldBeLessThanOrEqualTo(Hours, $"{reads} reads in {Hours} idle hours");
        reads.ShouldBeGreaterThanOrEqualTo(1, "it still looks at QuickBooks' changes once a day");
        TestContext.Current.AddAttachment("idle-reads", $"{reads} reads in {Hours} idle hours ({(double)reads / Hours:0.000} an hour)");
    }

    private static async Task<DateTimeOffset?> ChangesCheckedUpToAsync(QuickBooksApp app)
    {
        await using var db = await DbAsync(app);
        return await db.QuickBooksConnections.Select(c => c.ChangesCheckedUpTo).SingleAsync(Ct);
    }

    private static byte[] CloudEvent(string id, string verb, string invoiceId, DateTimeOffset at, string realmId = Realm) =>
        Encoding.UTF8.GetBytes(new JsonArray(new JsonObject
        {
            ["specversion"] = "1.0", ["id"] = id, ["source"] = "intuit.test", ["type"] = $"qbo.invoice.{verb}.v1", ["datacontenttype"] = "application/json",
            ["time"] = at.UtcDateTime.ToString("O"), ["intuitentityid"] = invoiceId, ["intuitaccountid"] = realmId, ["data"] = new JsonObject(),
        }).ToJsonString());

    private static async Task<HttpStatusCode> PostWebhookAsync(QuickBooksApp app, byte[] body, string? signature)
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (signature is not null)
        {
            content.Headers.Add("intuit-signature", signature);
        }

        using var response = await client.PostAsync(new Uri(WebhookPath, UriKind.Relative), content, Ct);
        var answer = await response.Content.ReadAsStringAsync(Ct);
        answer.Length.ShouldBeLessThan(1000, "the endpoint says nothing more than its status");
        return response.StatusCode;
    }

    /// <summary>Syncs everything, then a sent invoice without payments (not the vendor clash's), with its QuickBooks id.</summary>
    private static async Task<(Invoice Invoice, string QboId)> SyncedInvoiceAsync(QuickBooksApp app, int? except = null)
    {
        await SyncAllAsync(app);
        await using var db = await DbAsync(app);
        var invoice = await db.Invoices.AsNoTracking().OrderBy(i => i.Id)
            .FirstAsync(i => i.Status == InvoiceStatus.Sent && !i.Payments.Any() && i.Client!.DisplayName != "Bob's Burgers" && i.Id != except, Ct);
        var record = await RecordAsync(app, SyncEntityType.Invoice, invoice.Id);
        return (invoice, record.QboId!);
    }

    private static async Task SyncAllAsync(QuickBooksApp app)
    {
        var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
        result.Outcome.ShouldBe(SyncRunOutcome.Completed, result.Message);
    }

    private static async Task<JobkoreDbContext> DbAsync(QuickBooksApp app)
    {
        var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
    }

    private static async Task<SyncRecord> RecordAsync(QuickBooksApp app, SyncEntityType type, int id)
    {
        await using var db = await DbAsync(app);
        return await db.SyncRecords.AsNoTracking().SingleAsync(r => r.EntityType == type && r.EntityId == id, Ct);
    }

    private static async Task<SyncView> ViewAsync(QuickBooksApp app, int invoiceId)
    {
        await using var scope = app.SignedInScope();
        return (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ForInvoiceAsync(invoiceId, Ct))!;
    }

    private static async Task<SyncView?> ViewsAsync(QuickBooksApp app, SyncEntityType type, int id)
    {
        await using var scope = app.SignedInScope();
        return (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ViewsAsync(type, [id], Ct))?[id];
    }

    private static async Task<PendingCount> PendingAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(Realm, Ct);
    }

    private static async Task<JsonObject> QboInvoiceAsync(QuickBooksApp app, string qboId) =>
        QuickBooksApp.Rows(await app.SandboxAsync(), "Invoice").Single(i => (string)i["Id"]! == qboId);

    private static async Task<List<QuickBooksWebhookEvent>> WebhookEventsAsync(QuickBooksApp app)
    {
        await using var db = await DbAsync(app);
        return await db.QuickBooksWebhookEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync(Ct);
    }

    private static async Task<int> RequestRowsAsync(QuickBooksApp app)
    {
        await using var db = await DbAsync(app);
        return await db.SyncRequests.CountAsync(Ct);
    }

    private static async Task<SyncView> WaitForStatusAsync(QuickBooksApp app, int invoiceId, SyncStatus status)
    {
        SyncView? view = null;
        await Eventually.WaitUntilAsync(async () => (view = await ViewAsync(app, invoiceId)).Status == status, $"invoice {invoiceId} never showed as {status}");
        return view!;
    }
}

using System.Text.Json.Nodes;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Sync;
using Jobkore.QuickBooksSandbox.FaultInjection;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>DESIGN.md §4's invariants, each against the built-in sandbox over HTTP. (3) and (4) are in SyncStatusesTests, ConnectFlowTests and SyncRunsTests.</summary>
public sealed class SyncInvariantTests
{
    private const string Realm = QuickBooksApp.AcmeRealm;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Fast retries and no request limits, so fault-heavy runs take seconds.</summary>
    private static readonly Dictionary<string, string?> s_fastRetries = new()
    {
        ["QuickBooks:Client:TransientAttempts"] = "2",
        ["QuickBooks:Client:TransientBackoff"] = "00:00:00.001",
        ["QuickBooks:Client:ThrottleWait"] = "00:00:00.010",
        ["QuickBooks:Client:RequestsPerMinute"] = "100000",
        ["QuickBooks:Limits:Enabled"] = "false",
    };

    private static async Task<QuickBooksApp> ConnectedAppAsync(Func<HttpRequestMessage, Task>? beforeQboRequest = null)
    {
        var app = new QuickBooksApp(settings: s_fastRetries, beforeQboRequest: beforeQboRequest);
        using var client = app.Client();
        (await QuickBooksApp.ConnectAsync(client)).ShouldBe("/settings/integrations?quickbooks=connected");
        return app;
    }

    private static async Task<SyncSummary> SyncAllAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncEngine>().SyncAllAsync(Ct);
    }

    private static async Task<JsonObject> SandboxAsync(QuickBooksApp app)
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        return JsonNode.Parse(await http.GetStringAsync(new Uri($"/qbo-sandbox/_sandbox/companies/{Realm}", UriKind.Relative), Ct))!.AsObject();
    }

    private static List<JsonObject> Rows(JsonObject company, string entity) => [.. company[entity]!.AsArray().Select(n => n!.AsObject())];

    [Fact]
    public async Task Invariant1_EveryResponseDroppedAfterCommitForAWhile_LeavesZeroDuplicatesInQuickBooks()
    {
        await using var app = await ConnectedAppAsync();
        var seeded = await SandboxAsync(app);
        app.Faults.Configure(Realm, new FaultSettings { DropAfterCommitRate = 0.5 }, seed: 7);

        for (var run = 0; run < 4; run++)
        {
            try
            {
                await SyncAllAsync(app);
            }
            catch (Exception ex) when (ex is HttpRequestException or Jobkore.Core.QuickBooks.Errors.QuickBooksException)
            {
                // A look-up lost every retry: the run stops before creating anything it could not check.
            }
        }

        app.Faults.Clear();
        await SyncAllAsync(app);

        var sandbox = await SandboxAsync(app);
        var customers = Rows(sandbox, "Customer").Select(c => (string)c["DisplayName"]!).ToList();
        customers.ShouldBeUnique();
        Rows(sandbox, "Item").Select(i => (string)i["Name"]!).ShouldBeUnique();
        Rows(sandbox, "Invoice").Select(i => (string)i["DocNumber"]!).ShouldBeUnique();
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var clients = (await db.Clients.Where(c => c.DisplayName != "Bob's Burgers").Select(c => c.DisplayName).ToListAsync(Ct)).Select(QboNames.DisplayName).ToList();
        clients.ShouldAllBe(name => customers.Contains(name));
        customers.Count.ShouldBe(Rows(seeded, "Customer").Count + clients.Count(name => !Rows(seeded, "Customer").Any(c => (string?)c["DisplayName"] == name)));
        var payments = await db.Payments.CountAsync(p => p.Invoice!.Client!.DisplayName != "Bob's Burgers", Ct);
        Rows(sandbox, "Payment").Count.ShouldBe(payments);
        var pending = await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(Realm, Ct);
        pending.Waiting.ShouldBe(pending.Failed, "only the vendor clash's documents wait");

        // The faults did bite: creates whose answer was lost after QuickBooks stored them.
        var lostCreates = await db.SyncAttempts.CountAsync(a => a.Operation == "Create" && !a.Succeeded && a.ErrorCode == null, Ct);
        lostCreates.ShouldBeGreaterThan(0);
        TestContext.Current.TestOutputHelper?.WriteLine($"creates whose answer was dropped after commit: {lostCreates}; customers {customers.Count}, invoices {Rows(sandbox, "Invoice").Count}, payments {payments}; duplicates 0");
    }

    [Fact]
    public async Task Invariant2_AnEditSavedWhileItsPushIsInFlight_LeavesTheInvoiceEdited()
    {
        var editedOnce = 0;
        QuickBooksApp app = default!;
        int invoiceId = 0;
        app = await ConnectedAppAsync(async request =>
        {
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/invoice", StringComparison.Ordinal)
                && Interlocked.Exchange(ref editedOnce, 1) == 0)
            {
                await using var scope = app.SignedInScope("Sam Chen", admin: false);
                var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
                var draft = (await invoices.GetForEditAsync(invoiceId, CancellationToken.None))!.Draft;
                await invoices.UpdateAsync(invoiceId, draft with { Memo = "Changed while it was being sent" }, markSent: false, CancellationToken.None);
            }
        });
        await using (app)
        {
            await using (var scope = app.SignedInScope())
            {
                await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
                invoiceId = await db.Invoices.Where(i => i.Status == InvoiceStatus.Sent && i.Client!.DisplayName != "Bob's Burgers").Select(i => i.Id).FirstAsync(Ct);
            }

            await using (var scope = app.SignedInScope())
            {
                await scope.ServiceProvider.GetRequiredService<SyncEngine>().SyncInvoiceAsync(invoiceId, Ct);
            }

            editedOnce.ShouldBe(1);
            await using var check = app.SignedInScope();
            (await check.ServiceProvider.GetRequiredService<SyncStatuses>().ForInvoicesAsync(Realm, [invoiceId], Ct))[invoiceId].ShouldBe(SyncStatus.Edited);

            await check.ServiceProvider.GetRequiredService<SyncEngine>().SyncInvoiceAsync(invoiceId, Ct);
            (await check.ServiceProvider.GetRequiredService<SyncStatuses>().ForInvoicesAsync(Realm, [invoiceId], Ct))[invoiceId].ShouldBe(SyncStatus.UpToDate);
        }
    }
}

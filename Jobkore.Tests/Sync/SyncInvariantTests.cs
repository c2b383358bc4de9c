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

/// <summary>docs/design.md §4's invariants, each against the built-in sandbox over HTTP. (3) and (4) are in SyncStatusesTests, ConnectFlowTests and SyncRunsTests.</summary>
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
        ["QuickBooks:Client:RequestsPerSecond"] = "100000",
        ["QuickBooks:Limits:Enabled"] = "false",
    };

    private static Task<QuickBooksApp> ConnectedAppAsync(Func<HttpRequestMessage, Task>? beforeQboRequest = null) =>
        QuickBooksApp.ConnectedAsync(settings: s_fastRetries, beforeQboRequest: beforeQboRequest);

    private static async Task<SyncSummary> SyncAllAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncEngine>().SyncAllAsync(Ct);
    }

    private static Task<JsonObject> SandboxAsync(QuickBooksApp app) => app.SandboxAsync();

    private static List<JsonObject> Rows(JsonObject company, string entity) => QuickBooksApp.Rows(company, entity);

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

/// <summary>Invariant 6: a process stopped mid-run, and a new one started on the same database, end where an undisturbed run ends.</summary>
public sealed class SyncCrashRecoveryTests
{
    private const string Realm = QuickBooksApp.AcmeRealm;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Thrown by the test's HTTP hook once QuickBooks has answered: the process "dies" before it can record the answer.</summary>
    private sealed class ProcessDied : Exception;

    [Fact]
    public async Task Invariant6_HostStoppedMidRun_ANewHostOnTheSameDatabaseConvergesToTheUndisturbedState()
    {
        var undisturbed = await QboStateAfterAsync(crashAfterBatches: null);
        var recovered = await QboStateAfterAsync(crashAfterBatches: 3);

        recovered.ShouldBe(undisturbed);
    }

    /// <summary>Connects the demo business, syncs (dying after the given number of answered batches, then restarting), and describes QuickBooks' state.</summary>
    private static async Task<string> QboStateAfterAsync(int? crashAfterBatches)
    {
        var answered = 0;
        var folder = Directory.CreateTempSubdirectory("jobkore-crash-").FullName;
        try
        {
            await using (var first = new QuickBooksApp(folder: folder, afterQboResponse: response =>
            {
                if (crashAfterBatches is { } limit && response.RequestMessage!.RequestUri!.AbsolutePath.EndsWith("/batch", StringComparison.Ordinal)
                    && Interlocked.Increment(ref answered) == limit)
                {
                    throw new ProcessDied();
                }

                return Task.CompletedTask;
            }))
            {
                await first.ConnectAcmeAsync();
                await using var scope = first.SignedInScope();
                if (crashAfterBatches is null)
                {
                    await scope.ServiceProvider.GetRequiredService<SyncEngine>().SyncAllAsync(Ct);
                    return Describe(await SandboxAsync(first));
                }

                await Should.ThrowAsync<ProcessDied>(() => scope.ServiceProvider.GetRequiredService<SyncEngine>().SyncAllAsync(Ct));
            }

            await using var second = new QuickBooksApp(folder: folder);
            await using (var scope = second.SignedInScope())
            {
                await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
                // The batch whose answer was lost, and any sent alongside it that the crash cut off, wait to be resent.
                (await db.SyncJournal.CountAsync(Ct)).ShouldBeInRange(1, 10, "the batches whose answers were lost wait to be resent");
                await scope.ServiceProvider.GetRequiredService<SyncEngine>().SyncAllAsync(Ct);
                (await db.SyncJournal.CountAsync(Ct)).ShouldBe(0);
            }

            return Describe(await SandboxAsync(second));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<JsonObject> SandboxAsync(QuickBooksApp app) => app.SandboxAsync();

    /// <summary>QuickBooks' records as a bookkeeper compares them: names, numbers, customers, amounts, accounts, void state — not ids or times.</summary>
    private static string Describe(JsonObject company)
    {
        List<JsonObject> Rows(string entity) => QuickBooksApp.Rows(company, entity);
        var customers = Rows("Customer").ToDictionary(c => (string)c["Id"]!, c => (string)c["DisplayName"]!);
        var invoices = Rows("Invoice").ToDictionary(i => (string)i["Id"]!, i => (string)i["DocNumber"]!);
        var lines = new List<string>();
        lines.AddRange(customers.Values.Order(StringComparer.Ordinal).Select(n => "Customer " + n));
        lines.AddRange(Rows("Item").Select(i => $"Item {i["Name"]} {i["UnitPrice"]} {i["IncomeAccountRef"]?["value"]}").Order(StringComparer.Ordinal));
        lines.AddRange(Rows("Invoice").Select(i => $"Invoice {i["DocNumber"]} {customers[(string)i["CustomerRef"]!["value"]!]} {i["TotalAmt"]} {i["Balance"]} {i["Line"]!.AsArray().Count} {i["PrivateNote"]}")
            .Order(StringComparer.Ordinal));
        lines.AddRange(Rows("Payment").Select(p => $"Payment {customers[(string)p["CustomerRef"]!["value"]!]} {p["TotalAmt"]} {p["TxnDate"]} {p["DepositToAccountRef"]?["value"]} "
            + string.Join(",", p["Line"]!.AsArray().SelectMany(l => l!["LinkedTxn"]!.AsArray()).Select(t => invoices[(string)t!["TxnId"]!]))).Order(StringComparer.Ordinal));
        return string.Join("\n", lines);
    }
}

/// <summary>Invariant 5: one bad document never blocks the rest.</summary>
public sealed class SyncIsolationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Invariant5_AVendorNameClashFailsOneInvoice_WhileTheOther20Sync()
    {
        await using var app = await QuickBooksApp.ConnectedAsync(settings: new() { ["Business:SeedDemoData"] = "false" });

        int clashId;
        await using (var scope = app.SignedInScope())
        {
            var clients = scope.ServiceProvider.GetRequiredService<Jobkore.Core.Clients.ClientService>();
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            var bob = await clients.CreateAsync(Drafts.Client("Bob's Burgers"), Ct);
            clashId = await invoices.CreateAsync(Drafts.Invoice(bob, "INV-CLASH", 0m, Drafts.Line(1, 80m)), markSent: true, Ct);
            for (var i = 1; i <= 20; i++)
            {
                var client = await clients.CreateAsync(Drafts.Client($"Good Client {i}"), Ct);
                await invoices.CreateAsync(Drafts.Invoice(client, $"INV-{i:000}", 0m, Drafts.Line(1, 10m * i)), markSent: true, Ct);
            }
        }

        await using var run = app.SignedInScope();
        var summary = await run.ServiceProvider.GetRequiredService<SyncEngine>().SyncAllAsync(Ct);

        summary.Failed.ShouldBe(2, "Bob's Burgers and its invoice");
        summary.Synced.ShouldBe(40, "20 clients and 20 invoices");
        var statuses = run.ServiceProvider.GetRequiredService<SyncStatuses>();
        (await statuses.PendingCountAsync(QuickBooksApp.AcmeRealm, Ct)).ShouldBe(new PendingCount(1, 1));
        (await statuses.ForInvoicesAsync(QuickBooksApp.AcmeRealm, [clashId], Ct))[clashId].ShouldBe(SyncStatus.Failed);
    }
}

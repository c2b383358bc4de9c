using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Jobkore.Core.Catalog;
using Jobkore.Core.Clients;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Payments;
using Jobkore.Core.Sync;
using Jobkore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>
/// A run goes through its backlog a page at a time (Sync:PageSize): pages of invoices with their payments, then
/// payments of invoices already in QuickBooks, then clients and items no invoice needed. Across pages every document
/// is written once, a client shared by invoices of several pages is created once, and "n of m" counts to m.
/// </summary>
public sealed class SyncPagingTests
{
    private const int PageSize = 4;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BacklogOfManyPages_SendsEveryDocumentOnce_WithProgressCountingToItsTotal_AndQuickBooksHoldsWhatJobkoreHolds()
    {
        var writes = new ConcurrentQueue<string>();
        await using var app = await QuickBooksApp.ConnectedAsync(settings: new()
        {
            ["Business:SeedDemoData"] = "false",
            ["Sync:PageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, beforeQboRequest: async request => await RecordWritesAsync(request, writes));
        var progress = new ConcurrentQueue<SyncRunProgress>();
        using var subscription = app.Services.GetRequiredService<SyncNotifier>().Subscribe(app.BusinessId, e =>
        {
            if (e is SyncRunProgress p)
            {
                progress.Enqueue(p);
            }

            return Task.CompletedTask;
        });

        // 6 clients, 3 items, 17 invoices (5 pages) cycling through the clients, so most clients are needed on several pages.
        var clients = new List<int>();
        var invoiceIds = new List<int>();
        await using (var scope = app.SignedInScope())
        {
            for (var i = 1; i <= 6; i++)
            {
                clients.Add(await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(Drafts.Client($"Paged Client {i}"), Ct));
            }

            var items = new List<int>();
            for (var i = 1; i <= 3; i++)
            {
                items.Add(await scope.ServiceProvider.GetRequiredService<CatalogService>().CreateAsync(new CatalogItemDetails($"Paged Service {i}", null, 40m * i, false, true), Ct));
            }

            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            var payments = scope.ServiceProvider.GetRequiredService<PaymentService>();
            for (var i = 1; i <= 17; i++)
            {
                var id = await invoices.CreateAsync(Drafts.Invoice(clients[i % clients.Count], $"PG-{i:000}", 0m,
                    Drafts.Line(1 + (i % 3), 40m * (1 + (i % 3)), itemId: items[i % 3], description: $"Paged Service {1 + (i % 3)}")), markSent: true, Ct);
                invoiceIds.Add(id);
                if (i % 2 == 0)
                {
                    await payments.RecordAsync(id, new PaymentEntry(5m, Drafts.Issued.AddDays(2), PaymentMethod.Check, $"PG-CHK-{i}"), Ct);
                }
            }
        }

        var runs = app.Services.GetRequiredService<SyncRuns>();
        var first = await runs.RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        first.Outcome.ShouldBe(SyncRunOutcome.Completed, first.Message);
        first.Summary.Failed.ShouldBe(0);
        const int Documents = 6 + 3 + 17 + 8;
        first.Summary.Synced.ShouldBe(Documents);
        writes.Count.ShouldBe(Documents, "every document is written once, however many pages the run took");
        writes.Distinct().Count().ShouldBe(Documents);
        ShouldCountToItsTotal([.. progress], Documents);
        var books = await app.SandboxAsync();
        QuickBooksApp.Rows(books, "Customer").Count(c => c["DisplayName"]!.GetValue<string>().StartsWith("Paged Client", StringComparison.Ordinal)).ShouldBe(6);
        QuickBooksApp.Rows(books, "Invoice").Count(i => i["DocNumber"]!.GetValue<string>().StartsWith("PG-", StringComparison.Ordinal)).ShouldBe(17);
        (await QuickBooksOracle.MismatchesAsync(app, QuickBooksApp.AcmeRealm, Ct)).ShouldBeEmpty();

        // Then: payments of invoices already in QuickBooks (their own pages), and a client no waiting invoice needs (the last page).
        writes.Clear();
        progress.Clear();
        await using (var scope = app.SignedInScope())
        {
            var payments = scope.ServiceProvider.GetRequiredService<PaymentService>();
            for (var i = 0; i < 9; i++)
            {
                await payments.RecordAsync(invoiceIds[i], new PaymentEntry(1m + i, Drafts.Issued.AddDays(3), PaymentMethod.Cash, null), Ct);
            }

            var clientService = scope.ServiceProvider.GetRequiredService<ClientService>();
            await clientService.UpdateAsync(clients[0], (await clientService.GetAsync(clients[0], Ct))! with { Email = "paged.one@example.com" }, Ct);
        }

        var second = await runs.RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        second.Outcome.ShouldBe(SyncRunOutcome.Completed, second.Message);
        second.Summary.Failed.ShouldBe(0);
        second.Summary.Synced.ShouldBe(9 + 1);
        writes.Count.ShouldBe(9 + 1);
        ShouldCountToItsTotal([.. progress], 9 + 1);
        (await QuickBooksOracle.MismatchesAsync(app, QuickBooksApp.AcmeRealm, Ct)).ShouldBeEmpty();
        await using (var scope = app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(QuickBooksApp.AcmeRealm, Ct)).ShouldBe(new PendingCount(0, 0));
        }
    }

    [Fact]
    public async Task InvoiceGivenANewClientWhileTheRunGoes_TheClientGoesWithItsPage_AndJoinsTheTotal()
    {
        var invoiceIds = new List<int>();
        int newClient = 0;
        var edited = 0;
        QuickBooksApp? running = null;
        await using var app = await QuickBooksApp.ConnectedAsync(settings: new()
        {
            ["Business:SeedDemoData"] = "false",
            ["Sync:PageSize"] = "2",
        }, beforeQboRequest: async request =>
        {
            // While the first page's names go, the last invoice (a later page) is given a client nobody else has.
            if (request.Method == HttpMethod.Post && running is { } app && Interlocked.Exchange(ref edited, 1) == 0)
            {
                await using var scope = app.SignedInScope();
                var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
                var invoice = (await invoices.GetForEditAsync(invoiceIds[^1], Ct))!;
                await invoices.UpdateAsync(invoiceIds[^1], invoice.Draft with { ClientId = newClient }, markSent: false, Ct);
            }
        });
        var progress = new ConcurrentQueue<SyncRunProgress>();
        using var subscription = app.Services.GetRequiredService<SyncNotifier>().Subscribe(app.BusinessId, e =>
        {
            if (e is SyncRunProgress p)
            {
                progress.Enqueue(p);
            }

            return Task.CompletedTask;
        });
        await using (var scope = app.SignedInScope())
        {
            var clients = scope.ServiceProvider.GetRequiredService<ClientService>();
            var first = await clients.CreateAsync(Drafts.Client("Paged Early Client"), Ct);
            newClient = await clients.CreateAsync(Drafts.Client("Paged Late Client"), Ct);
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            for (var i = 1; i <= 6; i++)
            {
                invoiceIds.Add(await invoices.CreateAsync(Drafts.Invoice(first, $"PL-{i:000}", 0m, Drafts.Line(1, 10m * i)), markSent: true, Ct));
            }
        }

        running = app;
        var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        edited.ShouldBe(1);
        result.Outcome.ShouldBe(SyncRunOutcome.Completed, result.Message);
        result.Summary.Failed.ShouldBe(0);
        result.Summary.Synced.ShouldBe(1 + 1 + 6, "the early client, the late one, and the six invoices");
        var last = progress.Last();
        (last.Done, last.Total).ShouldBe((8, 8));
        QuickBooksApp.Rows(await app.SandboxAsync(), "Customer").ShouldContain(c => (string)c["DisplayName"]! == "Paged Late Client");
        (await QuickBooksOracle.MismatchesAsync(app, QuickBooksApp.AcmeRealm, Ct)).ShouldBeEmpty();
    }

    /// <summary>"n of m": m is the run's documents from the first event on, and n goes up one at a time to it.</summary>
    private static void ShouldCountToItsTotal(IReadOnlyList<SyncRunProgress> progress, int documents)
    {
        progress.ShouldNotBeEmpty();
        progress.ShouldAllBe(p => p.Total == documents);
        progress.Select(p => p.Done).ShouldBe(Enumerable.Range(0, documents + 1), "n counts 0, 1, 2, … up to m, each once");
    }

    /// <summary>Each write on the wire, as "Entity operation key": one per single request, one per item of a batch.</summary>
    private static async Task RecordWritesAsync(HttpRequestMessage request, ConcurrentQueue<string> writes)
    {
        if (request.Method != HttpMethod.Post || request.Content is null)
        {
            return;
        }

        var body = JsonNode.Parse(await request.Content.ReadAsStringAsync())!.AsObject();
        var path = request.RequestUri!.AbsolutePath;
        if (body["BatchItemRequest"] is JsonArray items)
        {
            foreach (var item in items.OfType<JsonObject>())
            {
                var entity = item.Select(p => p.Key).Single(k => k is not ("bId" or "operation" or "optionsData"));
                writes.Enqueue($"{entity} {item["operation"]} {Key(item[entity]!.AsObject())}");
            }
        }
        else
        {
            writes.Enqueue($"{path[(path.LastIndexOf('/') + 1)..]} {request.RequestUri.Query} {Key(body)}");
        }
    }

    /// <summary>What tells a write's document apart: its id when it has one, else its name or number or amount and invoice.</summary>
    private static string Key(JsonObject document) =>
        document["Id"]?.ToString() ?? document["DisplayName"]?.ToString() ?? document["Name"]?.ToString() ?? document["DocNumber"]?.ToString()
        ?? document.ToJsonString();
}

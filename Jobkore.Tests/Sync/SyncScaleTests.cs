using System.Diagnostics;
using Jobkore.Core.Catalog;
using Jobkore.Core.Clients;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Payments;
using Jobkore.Core.Sync;
using Jobkore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>A busy day against the sandbox with Intuit's limits on. Asserts that everything lands; prints requests and wall time.</summary>
public sealed class SyncScaleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BusyDay_200InvoicesWithClientsItemsAndPayments_AllLandUnderIntuitsLimits()
    {
        await using var app = await QuickBooksApp.ConnectedAsync(settings: new() { ["Business:SeedDemoData"] = "false" });

        var random = new Random(200);
        await using (var scope = app.SignedInScope())
        {
            var clients = new List<int>();
            for (var i = 1; i <= 40; i++)
            {
                clients.Add(await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(Drafts.Client($"Busy Day Client {i:000}"), Ct));
            }

            var items = new List<int>();
            for (var i = 1; i <= 10; i++)
            {
                items.Add(await scope.ServiceProvider.GetRequiredService<CatalogService>().CreateAsync(new CatalogItemDetails($"Service {i:00}", null, 25m * i, i % 2 == 0, true), Ct));
            }

            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            var payments = scope.ServiceProvider.GetRequiredService<PaymentService>();
            for (var i = 1; i <= 200; i++)
            {
                var lines = Enumerable.Range(0, 1 + (i % 3)).Select(_ => random.Next(items.Count)).Select(k =>
                    new InvoiceLineDraft(items[k], $"Service {k + 1:00}", 1 + random.Next(4), 25m * (k + 1), (k + 1) % 2 == 0)).ToArray();
                var id = await invoices.CreateAsync(Drafts.Invoice(clients[i % clients.Count], $"BD-{i:0000}", 8m, lines), markSent: true, Ct);
                if (i <= 120)
                {
                    await payments.RecordAsync(id, new PaymentEntry(10m, Drafts.Issued.AddDays(1), PaymentMethod.Check, $"CHK-{i}"), Ct);
                }
            }
        }

        var watch = Stopwatch.StartNew();
        var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
        watch.Stop();

        result.Outcome.ShouldBe(SyncRunOutcome.Completed);
        result.Summary.Failed.ShouldBe(0);
        result.Summary.Synced.ShouldBe(40 + 10 + 200 + 120);
        await using (var scope = app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(QuickBooksApp.AcmeRealm, Ct)).ShouldBe(new PendingCount(0, 0));
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"busy day: 370 records (40 clients, 10 items, 200 invoices, 120 payments) in {watch.Elapsed.TotalSeconds:0.00} s with {result.Summary.QboRequests} QBO requests "
            + $"({(double)result.Summary.QboRequests / 370:0.000} a record), Intuit's limits on (500/min, 10/s, 10 at once, 40 batches/min)");
    }
}

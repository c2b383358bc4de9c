using System.Diagnostics;
using System.Globalization;
using Jobkore.Bench.Hosting;
using Jobkore.Core.Common;
using Jobkore.Core.Data;
using Jobkore.Core.Invoices;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Bench.Scenarios;

/// <summary>
/// What a person waits for on a big business: the waiting count on the QuickBooks card, and the first page of the
/// invoice list with its sync badges, with 50,000 invoices of which nine in ten are already in QuickBooks.
/// </summary>
internal static class ListTimings
{
    public static readonly Workload Big = new("50,000 invoices", Invoices: 50_000, Clients: 2_000, Items: 60, Payments: 20_000);
    private const int WarmCalls = 9;

    public static async Task<ListResult> RunAsync(CancellationToken cancellationToken)
    {
        await using var app = await BenchApp.StartConnectedAsync(BenchSettings.For(limits: false, batchSize: 30, timeScale: 1), cancellationToken);
        var generating = Stopwatch.StartNew();
        await DataGenerator.GenerateAsync(app.Services, app.Business, Big, "Big", cancellationToken);
        await using var scope = app.Services.GetRequiredService<IBusinessScopeFactory>().CreateScope(app.Business);
        await MarkSyncedAsync(scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>(), cancellationToken);

        // The sync records were written in SQL, past the saves that keep the pending set: derive it once, as after a bulk import.
        var statuses = scope.ServiceProvider.GetRequiredService<SyncStatuses>();
        await statuses.RederivePendingAsync(cancellationToken);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  generated {Big.Invoices} invoices in {generating.Elapsed.TotalSeconds:0.0} s"));

        var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
        PendingCount pending = default!;
        var (pendingFirst, pendingWarm) = await TimeAsync(async () => pending = await statuses.PendingCountAsync(BenchApp.Realm, cancellationToken));
        var (pageFirst, pageWarm) = await TimeAsync(async () =>
        {
            var page = await invoices.ListAsync(new PageRequest(0, 25), new InvoiceListFilter(), cancellationToken);
            var views = await statuses.ViewsForInvoicesAsync([.. page.Items.Select(i => i.Id)], cancellationToken);
            if (page.Items.Count != 25 || views?.Count != 25)
            {
                throw new InvalidOperationException("The first page should show 25 invoices, each with its sync status.");
            }
        });

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new ListResult(Big.Invoices, Big.Invoices / 10 + Big.Payments / 10, pending.Waiting, pendingFirst, pendingWarm, pageFirst, pageWarm, process.PeakWorkingSet64);
    }

    /// <summary>Nine invoices and payments in ten pushed with their current content, as after months of syncing (rows written in SQL).</summary>
    private static async Task MarkSyncedAsync(IDbContextFactory<JobkoreDbContext> factory, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO SyncRecords (BusinessId, RealmId, EntityType, EntityId, QboId, QboSyncToken, PushedHash, LastSyncedAt, LastAttemptAt, Failed, Attempts)
            SELECT BusinessId, {BenchApp.Realm}, {(int)SyncEntityType.Invoice}, Id, CAST(Id AS TEXT), '0', SyncHash, 0, 0, 0, 1 FROM Invoices WHERE Id % 10 <> 0
            """, cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO SyncRecords (BusinessId, RealmId, EntityType, EntityId, QboId, QboSyncToken, PushedHash, LastSyncedAt, LastAttemptAt, Failed, Attempts)
            SELECT BusinessId, {BenchApp.Realm}, {(int)SyncEntityType.Payment}, Id, CAST(Id AS TEXT), '0', SyncHash, 0, 0, 0, 1 FROM Payments WHERE Id % 10 <> 0
            """, cancellationToken);
    }

    /// <summary>The first call, and the median of the warm calls after it, in milliseconds.</summary>
    private static async Task<(double First, double Median)> TimeAsync(Func<Task> call)
    {
        var watch = Stopwatch.StartNew();
        await call();
        var first = watch.Elapsed.TotalMilliseconds;
        var warm = new List<double>();
        for (var i = 0; i < WarmCalls; i++)
        {
            watch.Restart();
            await call();
            warm.Add(watch.Elapsed.TotalMilliseconds);
        }

        warm.Sort();
        return (first, warm[warm.Count / 2]);
    }
}

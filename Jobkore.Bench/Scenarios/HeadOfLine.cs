using System.Diagnostics;
using System.Globalization;
using Jobkore.Bench.Hosting;
using Jobkore.Core.Businesses;
using Jobkore.Core.Invoices;
using Jobkore.Core.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Bench.Scenarios;

/// <summary>
/// Head of line, in its own process: business A's backlog runs under Intuit's limits while business B, connected to a
/// company of its own, edits one invoice and asks for its Re-sync, ten times one after another. Each is timed from the
/// request to the run's answer, with the invoice then Up to date — what the person pressing Re-sync waits for. Whether
/// the worker serves B beside A or after it, the figures say which: the row records whether A's run was still going
/// when B's tenth answer came.
/// </summary>
internal static class HeadOfLine
{
    public const int Resyncs = 10;

    /// <summary>B's few records, synced before A's run.</summary>
    private static readonly Workload s_bBooks = new("B's books", Invoices: 5, Clients: 2, Items: 1, Payments: 0);

    public static async Task<HeadOfLineResult> RunAsync(double timeScale, CancellationToken cancellationToken)
    {
        await using var app = await BenchApp.StartConnectedAsync(BenchSettings.For(limits: true, batchSize: 30, timeScale), cancellationToken);
        var runs = app.Services.GetRequiredService<SyncRuns>();
        var a = app.Business;
        var b = await app.AddBusinessAsync("Business B", cancellationToken);
        await app.ConnectAsync(b, BenchApp.SecondRealm);

        // Both businesses' code paths compiled, B's re-sync once untimed; then the limits' windows empty.
        await DataGenerator.GenerateAsync(app.Services, a, Workload.WarmUp, "Warm", cancellationToken);
        ThroughputRun.Check(await runs.RequestAsync(a.Id, null, SyncTrigger.SyncNow), Workload.WarmUp.Documents);
        await DataGenerator.GenerateAsync(app.Services, b, s_bBooks, "B", cancellationToken);
        ThroughputRun.Check(await runs.RequestAsync(b.Id, null, SyncTrigger.SyncNow), s_bBooks.Documents);
        var invoiceId = await FirstInvoiceAsync(app, b, cancellationToken);
        await ResyncAsync(app, runs, b, invoiceId, 0, cancellationToken);
        await Task.Delay(TimeSpan.FromMinutes(1) / timeScale + TimeSpan.FromMilliseconds(200), cancellationToken);
        await DataGenerator.GenerateAsync(app.Services, a, Workload.Backlog, "Bench", cancellationToken);

        // B starts asking once A's run is sending (its first progress), not while A's run is still being planned.
        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = app.Services.GetRequiredService<SyncNotifier>().Subscribe(a.Id, e =>
        {
            if (e is SyncRunProgress or SyncRunFinished)
            {
                sending.TrySetResult();
            }

            return Task.CompletedTask;
        });
        var throttledBefore = app.Wire.Throttled;
        var aWatch = Stopwatch.StartNew();
        var aRun = runs.RequestAsync(a.Id, null, SyncTrigger.SyncNow);
        await sending.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        var bStart = aWatch.Elapsed.TotalSeconds;

        var waits = new List<double>();
        for (var n = 1; n <= Resyncs; n++)
        {
            waits.Add(await ResyncAsync(app, runs, b, invoiceId, n, cancellationToken));
        }

        var bDone = aWatch.Elapsed.TotalSeconds;
        var aStillRunning = !aRun.IsCompleted;
        var aResult = await aRun;
        var aSeconds = aWatch.Elapsed.TotalSeconds;
        ThroughputRun.Check(aResult, Workload.Backlog.Documents);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  B's re-syncs (ms): {string.Join(", ", waits.Select(w => w.ToString("0", CultureInfo.InvariantCulture)))}; B asked from {bStart:0.0} s to {bDone:0.0} s of A's {aSeconds:0.0} s run"));

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var sorted = waits.Order().ToArray();
        return new HeadOfLineResult(Workload.Backlog.Documents, timeScale, aSeconds, bStart, bDone, aStillRunning, [.. waits],
            (sorted[(Resyncs - 1) / 2] + sorted[Resyncs / 2]) / 2, sorted[^1], app.Wire.Throttled - throttledBefore, process.PeakWorkingSet64);
    }

    /// <summary>Edits the invoice's memo as a person would, asks for its Re-sync, and returns the milliseconds until it was Up to date.</summary>
    private static async Task<double> ResyncAsync(BenchApp app, SyncRuns runs, BusinessProfile business, int invoiceId, int edit, CancellationToken cancellationToken)
    {
        await using var scope = app.Services.GetRequiredService<IBusinessScopeFactory>().CreateScope(business);
        var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
        var invoice = await invoices.GetForEditAsync(invoiceId, cancellationToken) ?? throw new InvalidOperationException($"Invoice {invoiceId} is gone.");
        await invoices.UpdateAsync(invoiceId, invoice.Draft with { Memo = $"Edit {edit}" }, markSent: false, cancellationToken);

        var watch = Stopwatch.StartNew();
        var result = await runs.RequestAsync(business.Id, invoiceId, SyncTrigger.ResyncOne);
        watch.Stop();
        if (result.Outcome != SyncRunOutcome.Completed || result.Summary.Failed != 0)
        {
            throw new InvalidOperationException($"B's re-sync ended {result.Outcome} ({result.Message}), {result.Summary.Failed} failed.");
        }

        var status = (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ForInvoiceAsync(invoiceId, cancellationToken))?.Status;
        return status == SyncStatus.UpToDate ? watch.Elapsed.TotalMilliseconds : throw new InvalidOperationException($"B's invoice is {status} after its re-sync.");
    }

    private static async Task<int> FirstInvoiceAsync(BenchApp app, BusinessProfile business, CancellationToken cancellationToken)
    {
        await using var scope = app.Services.GetRequiredService<IBusinessScopeFactory>().CreateScope(business);
        var page = await scope.ServiceProvider.GetRequiredService<InvoiceService>().ListAsync(new Jobkore.Core.Common.PageRequest(0, 1), new InvoiceListFilter(), cancellationToken);
        return page.Items.Single().Id;
    }
}

/// <summary>The head-of-line row: A's run, and B's ten re-syncs during it (milliseconds, in the order asked).</summary>
internal sealed record HeadOfLineResult(
    int ADocuments,
    double TimeScale,
    double ASeconds,
    double BStartSeconds,
    double BDoneSeconds,
    bool AStillRunning,
    double[] ResyncMs,
    double MedianMs,
    double MaxMs,
    int Throttled,
    long PeakWorkingSet);

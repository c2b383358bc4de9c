using System.Diagnostics;
using System.Globalization;
using Jobkore.Bench.Hosting;
using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Bench.Scenarios;

/// <summary>
/// One row of the table, in its own process: a fresh app on an empty database of its own (SQLite or PostgreSQL),
/// connected to the sandbox, a warm-up run, the workload written to the database, then one timed Sync Now through the
/// worker, as a person would start it.
/// </summary>
internal static class ThroughputRun
{
    public static async Task<RowResult> RunAsync(Workload workload, DatabaseProvider database, bool limits, int batchSize, double timeScale, CancellationToken cancellationToken)
    {
        await using var app = await BenchApp.StartConnectedAsync(BenchSettings.For(limits, batchSize, timeScale) with { Database = database }, cancellationToken);
        var runs = app.Services.GetRequiredService<SyncRuns>();

        // Compile the engine's code paths first; then let the limits' window empty, so the timed run starts with a fresh minute.
        await DataGenerator.GenerateAsync(app.Services, app.Business, Workload.WarmUp, "Warm", cancellationToken);
        Check(await runs.RequestAsync(app.Business.Id, null, SyncTrigger.SyncNow), Workload.WarmUp.Documents);
        if (limits)
        {
            await Task.Delay(TimeSpan.FromMinutes(1) / timeScale + TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        var generating = Stopwatch.StartNew();
        await DataGenerator.GenerateAsync(app.Services, app.Business, workload, "Bench", cancellationToken);
        var generated = generating.Elapsed.TotalSeconds;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  generated {workload.Documents} records in {generated:0.0} s; {Memory()}"));

        var requestsBefore = app.Wire.Requests;
        var readsBefore = app.Wire.Reads;
        var throttledBefore = app.Wire.Throttled;
        var watch = Stopwatch.StartNew();
        var result = await runs.RequestAsync(app.Business.Id, null, SyncTrigger.SyncNow);
        watch.Stop();
        Check(result, workload.Documents);
        Console.Error.WriteLine($"  synced; {Memory()}");

        var pending = await PendingAsync(app, app.Business, BenchApp.Realm, cancellationToken);
        if (pending.Waiting != 0)
        {
            throw new InvalidOperationException($"{pending.Waiting} documents still wait after the run.");
        }

        // The look at QuickBooks' changes that the run's own webhooks would bring (the sandbox process sends none here),
        // counted with the run's reads: it reads every record the run wrote back, and must find none changed.
        var check = await runs.RequestInvoicesAsync(app.Business.Id, [], SyncTrigger.CheckQuickBooks);
        if (check.Outcome != SyncRunOutcome.Completed || check.Summary.ChangedInQuickBooks != 0)
        {
            throw new InvalidOperationException($"The look at QuickBooks' changes after the run ended {check.Outcome} ({check.Message}), {check.Summary.ChangedInQuickBooks} flagged.");
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new RowResult(workload.Name, BenchDatabase.DisplayName(database), limits, batchSize, limits ? timeScale : 0, result.Summary.Synced, result.Summary.Failed, pending.Waiting, watch.Elapsed.TotalSeconds,
            result.Summary.QboRequests, app.Wire.Requests - requestsBefore, app.Wire.Throttled - throttledBefore, BenchSettings.CeilingPerMinute, process.PeakWorkingSet64)
        {
            GenerationSeconds = generated,
            WireReads = app.Wire.Reads - readsBefore,
        };
    }

    /// <summary>For the log: how much memory the process holds, and how much of it is the garbage collector's.</summary>
    public static string Memory()
    {
        using var process = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture,
            $"working set {process.WorkingSet64 / 1048576} MB, peak {process.PeakWorkingSet64 / 1048576} MB, managed heap {GC.GetTotalMemory(false) / 1048576} MB, GC committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576} MB");
    }

    /// <summary>The business's documents still waiting for <paramref name="realmId"/>.</summary>
    public static async Task<PendingCount> PendingAsync(BenchApp app, BusinessProfile business, string realmId, CancellationToken cancellationToken)
    {
        await using var scope = app.Services.GetRequiredService<IBusinessScopeFactory>().CreateScope(business);
        return await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(realmId, cancellationToken);
    }

    /// <summary>Throws unless the run completed with <paramref name="expected"/> documents sent and none failed.</summary>
    public static void Check(SyncRunResult result, int expected)
    {
        if (result.Outcome != SyncRunOutcome.Completed || result.Summary.Failed != 0 || result.Summary.Synced != expected)
        {
            throw new InvalidOperationException($"The run ended {result.Outcome} ({result.Message}): {result.Summary.Synced} of {expected} sent, {result.Summary.Failed} failed.");
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Jobkore.Bench.Hosting;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.Sync;
using Jobkore.QuickBooksSandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobkore.Bench.Scenarios;

/// <summary>
/// One row of the table, in its own process: a fresh app connected to the sandbox, a warm-up run, the workload
/// written to the database, then one timed Sync Now through the worker, as a person would start it.
/// </summary>
internal static class ThroughputRun
{
    /// <summary>Operations in one batch request (docs/quickbooks-api.md §2 "Batch").</summary>
    private const int QboBatchLimit = 30;

    public static async Task<RowResult> RunAsync(Workload workload, bool limits, int batchSize, double timeScale, CancellationToken cancellationToken)
    {
        await using var app = await BenchApp.StartConnectedAsync(Settings(limits, batchSize, timeScale));
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
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  generated {workload.Documents} records in {generating.Elapsed.TotalSeconds:0.0} s; {Memory()}"));

        var requestsBefore = app.Wire.Requests;
        var throttledBefore = app.Wire.Throttled;
        var watch = Stopwatch.StartNew();
        var result = await runs.RequestAsync(app.Business.Id, null, SyncTrigger.SyncNow);
        watch.Stop();
        Check(result, workload.Documents);
        Console.Error.WriteLine($"  synced; {Memory()}");

        PendingCount pending;
        await using (var scope = app.Services.GetRequiredService<IBusinessScopeFactory>().CreateScope(app.Business))
        {
            pending = await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(BenchApp.Realm, cancellationToken);
        }

        if (pending.Waiting != 0)
        {
            throw new InvalidOperationException($"{pending.Waiting} documents still wait after the run.");
        }

        var sandbox = app.Services.GetRequiredService<IOptions<QuickBooksSandboxOptions>>().Value.Limits;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new RowResult(workload.Name, limits, batchSize, limits ? timeScale : 0, result.Summary.Synced, result.Summary.Failed, pending.Waiting, watch.Elapsed.TotalSeconds,
            result.Summary.QboRequests, app.Wire.Requests - requestsBefore, app.Wire.Throttled - throttledBefore,
            sandbox.BatchRequestsPerMinute * QboBatchLimit + (sandbox.RequestsPerMinute - sandbox.BatchRequestsPerMinute), process.PeakWorkingSet64);
    }

    /// <summary>For the log: how much memory the process holds, and how much of it is the garbage collector's.</summary>
    private static string Memory()
    {
        using var process = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture,
            $"working set {process.WorkingSet64 / 1048576} MB, peak {process.PeakWorkingSet64 / 1048576} MB, managed heap {GC.GetTotalMemory(false) / 1048576} MB, GC committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576} MB");
    }

    /// <summary>
    /// Under limits the sandbox enforces Intuit's numbers with its minute shortened <paramref name="timeScale"/> times, and
    /// the client paces to the same shortened minute. Without limits neither side counts requests.
    /// </summary>
    public static Dictionary<string, string?> Settings(bool limits, int batchSize, double timeScale)
    {
        var scale = timeScale.ToString(CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string?>
        {
            ["Sync:BatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture),
            ["QuickBooks:Limits:Enabled"] = limits ? "true" : "false",
        };
        if (limits)
        {
            settings["QuickBooks:Limits:TimeScale"] = scale;
            settings[$"{QboClientOptions.SectionName}:TimeScale"] = scale;
        }
        else
        {
            settings[$"{QboClientOptions.SectionName}:RequestsPerMinute"] = "100000";
            settings[$"{QboClientOptions.SectionName}:BatchRequestsPerMinute"] = "100000";
        }

        return settings;
    }

    private static void Check(SyncRunResult result, int expected)
    {
        if (result.Outcome != SyncRunOutcome.Completed || result.Summary.Failed != 0 || result.Summary.Synced != expected)
        {
            throw new InvalidOperationException($"The run ended {result.Outcome} ({result.Message}): {result.Summary.Synced} of {expected} sent, {result.Summary.Failed} failed.");
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Jobkore.Bench.Hosting;
using Jobkore.Core.Businesses;
using Jobkore.Core.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Bench.Scenarios;

/// <summary>
/// Many companies, in its own process: 20 businesses, each connected to a sandbox company of its own with a backlog of
/// 1,000 documents, all asked to Sync Now at the same moment, under Intuit's limits in real time (TimeScale 1). Each
/// company's time is from that moment to its run's answer. A 21st business on Acme warms the engine up first, so no
/// measured company's minute is spent before the clock starts.
/// </summary>
internal static class ManyCompanies
{
    public const int Companies = 20;

    public static async Task<ManyCompaniesResult> RunAsync(CancellationToken cancellationToken)
    {
        var settings = BenchSettings.For(limits: true, batchSize: 30, timeScale: 1);

        // Sandbox Company US 2 and 19 extra companies for the 20; Acme for the warm-up.
        settings.Sandbox["QuickBooks:ExtraCompanies"] = (Companies - 1).ToString(CultureInfo.InvariantCulture);
        settings.App["Sync:MaxConcurrentBusinesses"] = Companies.ToString(CultureInfo.InvariantCulture);
        await using var app = await BenchApp.StartConnectedAsync(settings, cancellationToken);
        var runs = app.Services.GetRequiredService<SyncRuns>();
        await DataGenerator.GenerateAsync(app.Services, app.Business, Workload.WarmUp, "Warm", cancellationToken);
        ThroughputRun.Check(await runs.RequestAsync(app.Business.Id, null, SyncTrigger.SyncNow), Workload.WarmUp.Documents);

        var generating = Stopwatch.StartNew();
        var businesses = new List<(BusinessProfile Business, string Realm)>();
        for (var i = 0; i < Companies; i++)
        {
            var business = await app.AddBusinessAsync(string.Create(CultureInfo.InvariantCulture, $"Company {i + 1:00}"), cancellationToken);
            var realm = i == 0 ? BenchApp.SecondRealm : BenchApp.ExtraRealm(i - 1);
            await app.ConnectAsync(business, realm);
            await DataGenerator.GenerateAsync(app.Services, business, Workload.CompanyBacklog, "Bench", cancellationToken);
            businesses.Add((business, realm));
        }

        var generated = generating.Elapsed.TotalSeconds;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  connected {Companies} businesses and generated {Companies * Workload.CompanyBacklog.Documents} records in {generated:0.0} s; {ThroughputRun.Memory()}"));

        var requestsBefore = app.Wire.Requests;
        var throttledBefore = app.Wire.Throttled;
        var watch = Stopwatch.StartNew();
        var finishes = await Task.WhenAll(businesses.Select(async b =>
        {
            var result = await runs.RequestAsync(b.Business.Id, null, SyncTrigger.SyncNow);
            return (Result: result, Seconds: watch.Elapsed.TotalSeconds);
        }));
        var seconds = watch.Elapsed.TotalSeconds;
        foreach (var (result, _) in finishes)
        {
            ThroughputRun.Check(result, Workload.CompanyBacklog.Documents);
        }

        foreach (var (business, realm) in businesses)
        {
            if ((await ThroughputRun.PendingAsync(app, business, realm, cancellationToken)).Waiting != 0)
            {
                throw new InvalidOperationException($"{business.Name} still has documents waiting after its run.");
            }
        }

        var times = finishes.Select(f => f.Seconds).Order().ToArray();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  companies done at (s): {string.Join(", ", times.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture)))}; {ThroughputRun.Memory()}"));
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var documents = finishes.Sum(f => f.Result.Summary.Synced);
        return new ManyCompaniesResult(Companies, Workload.CompanyBacklog.Documents, documents, seconds, times[0], times[^1],
            documents / (seconds / 60), Workload.CompanyBacklog.Documents / (times[^1] / 60) / BenchSettings.CeilingPerMinute, BenchSettings.CeilingPerMinute,
            app.Wire.Requests - requestsBefore, app.Wire.Throttled - throttledBefore, generated, process.PeakWorkingSet64);
    }
}

/// <summary>The many-companies row: when the first and the last company were done, and what that makes a minute.</summary>
internal sealed record ManyCompaniesResult(
    int Companies,
    int DocumentsEach,
    int Documents,
    double Seconds,
    double FirstSeconds,
    double LastSeconds,
    double DocumentsPerMinute,
    double LowestFraction,
    int CeilingPerMinute,
    int WireRequests,
    int Throttled,
    double SetupSeconds,
    long PeakWorkingSet);

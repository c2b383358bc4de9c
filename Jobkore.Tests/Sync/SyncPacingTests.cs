using System.Collections.Concurrent;
using System.Net;
using Jobkore.Core.Clients;
using Jobkore.Core.Invoices;
using Jobkore.Core.Payments;
using Jobkore.Core.Sync;
using Jobkore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>
/// How a run spends Intuit's limits (docs/quickbooks-api.md §3), against the sandbox enforcing them: batches while the minute allows
/// them, single requests beside them, several at once, at most ten a second, never a 429; and no look-up that cannot find anything.
/// </summary>
public sealed class SyncPacingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What left the app for QuickBooks, and what came back.</summary>
    private sealed class Wire
    {
        public ConcurrentBag<string> Requests { get; } = [];

        public ConcurrentBag<HttpStatusCode> Answers { get; } = [];

        /// <summary>When each request left, on the app's clock: after its slot was granted, before its answer came.</summary>
        public ConcurrentBag<DateTimeOffset> Starts { get; } = [];

        /// <summary>The most requests that left within <paramref name="window"/> of each other.</summary>
        public int MostStartedWithin(TimeSpan window)
        {
            var starts = Starts.Order().ToList();
            return starts.Select((start, i) => starts.Skip(i).TakeWhile(later => later - start < window).Count()).DefaultIfEmpty().Max();
        }

        public int InFlight;

        public int MostInFlight;

        public int Writes(string path) => Requests.Count(r => r.StartsWith("POST ", StringComparison.Ordinal) && r.Contains(path, StringComparison.Ordinal));
    }

    private static async Task<QuickBooksApp> AppAsync(Wire wire, Dictionary<string, string?> settings)
    {
        settings["Business:SeedDemoData"] = "false";
        var app = new QuickBooksApp(settings: settings,
            beforeQboRequest: request =>
            {
                wire.Starts.Add(TimeProvider.System.GetUtcNow());
                wire.Requests.Add($"{request.Method} {Uri.UnescapeDataString(request.RequestUri!.PathAndQuery)}");
                var now = Interlocked.Increment(ref wire.InFlight);
                int most;
                while (now > (most = Volatile.Read(ref wire.MostInFlight)) && Interlocked.CompareExchange(ref wire.MostInFlight, now, most) != most)
                {
                }

                return Task.CompletedTask;
            },
            afterQboResponse: response =>
            {
                Interlocked.Decrement(ref wire.InFlight);
                wire.Answers.Add(response.StatusCode);
                return Task.CompletedTask;
            });
        await app.ConnectAcmeAsync();
        return app;
    }

    /// <summary>Clients, each with one invoice, and a payment on every second invoice.</summary>
    private static async Task AddInvoicesAsync(QuickBooksApp app, int count)
    {
        await using var scope = app.SignedInScope();
        var clients = scope.ServiceProvider.GetRequiredService<ClientService>();
        var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
        var payments = scope.ServiceProvider.GetRequiredService<PaymentService>();
        for (var i = 1; i <= count; i++)
        {
            var client = await clients.CreateAsync(Drafts.Client($"Paced Client {i:000}"), Ct);
            var invoice = await invoices.CreateAsync(Drafts.Invoice(client, $"PACE-{i:000}", 0m, Drafts.Line(1, 10m * i)), markSent: true, Ct);
            if (i % 2 == 0)
            {
                await payments.RecordAsync(invoice, new PaymentEntry(5m, Drafts.Issued.AddDays(1), Jobkore.Core.Domain.PaymentMethod.Cash, null), Ct);
            }
        }
    }

    [Fact]
    public async Task SyncNow_MoreWritesThanTheMinutesBatchesCarry_SendsSingleRequestsBesideThem_WithoutA429()
    {
        // Two batch requests a minute, sandbox and client alike, and a minute of one second so the test is quick.
        var wire = new Wire();
        await using var app = await AppAsync(wire, new()
        {
            ["Sync:BatchSize"] = "5",
            ["QuickBooks:Limits:BatchRequestsPerMinute"] = "2",
            ["QuickBooks:Limits:TimeScale"] = "60",
            ["QuickBooks:Client:BatchRequestsPerMinute"] = "2",
            ["QuickBooks:Client:TimeScale"] = "60",
        });
        await AddInvoicesAsync(app, 30);
        wire.Requests.Clear();

        var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        result.Outcome.ShouldBe(SyncRunOutcome.Completed);
        result.Summary.Failed.ShouldBe(0);
        result.Summary.Synced.ShouldBe(30 + 30 + 15);
        wire.Answers.ShouldNotContain(HttpStatusCode.TooManyRequests);
        wire.Writes("/batch").ShouldBeGreaterThan(0);
        (wire.Writes("/customer") + wire.Writes("/invoice") + wire.Writes("/payment")).ShouldBeGreaterThan(0, "what the minute's batches cannot carry goes as single requests");
        wire.MostInFlight.ShouldBeGreaterThan(1, "requests go several at once");
        wire.MostInFlight.ShouldBeLessThanOrEqualTo(10);
        await using var scope = app.SignedInScope();
        (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(QuickBooksApp.AcmeRealm, Ct)).ShouldBe(new PendingCount(0, 0));
    }

    [Fact]
    public async Task SyncNow_OneRequestPerRecord_SendsNoBatch_AndStaysWithinTheMinute()
    {
        var wire = new Wire();
        await using var app = await AppAsync(wire, new()
        {
            ["Sync:BatchSize"] = "1",
            ["QuickBooks:Limits:RequestsPerMinute"] = "40",
            ["QuickBooks:Limits:TimeScale"] = "60",
            ["QuickBooks:Client:RequestsPerMinute"] = "40",
            ["QuickBooks:Client:TimeScale"] = "60",
        });
        await AddInvoicesAsync(app, 20);
        wire.Requests.Clear();

        var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        result.Summary.Failed.ShouldBe(0);
        result.Summary.Synced.ShouldBe(20 + 20 + 10);
        wire.Writes("/batch").ShouldBe(0);
        wire.Answers.ShouldNotContain(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task SyncNow_OneRequestPerRecord_StartsAtMostTenRequestsWithinAnySecond_WithoutA429()
    {
        // Intuit's ten requests a second, sandbox and client alike, and a second of 100 ms so the test is quick.
        var wire = new Wire();
        await using var app = await AppAsync(wire, new()
        {
            ["Sync:BatchSize"] = "1",
            ["QuickBooks:Limits:TimeScale"] = "10",
            ["QuickBooks:Client:TimeScale"] = "10",
        });
        await AddInvoicesAsync(app, 20);
        wire.Starts.Clear();

        var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        result.Summary.Failed.ShouldBe(0);
        result.Summary.Synced.ShouldBe(20 + 20 + 10);
        wire.Answers.ShouldNotContain(HttpStatusCode.TooManyRequests);
        wire.Starts.Count.ShouldBeGreaterThanOrEqualTo(50);
        wire.MostStartedWithin(TimeSpan.FromMilliseconds(100)).ShouldBeLessThanOrEqualTo(10);
    }

    [Fact]
    public async Task SyncNow_PaymentsOfCustomersTheRunCreated_AreNotLookedUpInQuickBooks()
    {
        var wire = new Wire();
        await using var app = await AppAsync(wire, []);
        await AddInvoicesAsync(app, 6);
        wire.Requests.Clear();

        var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        result.Summary.Synced.ShouldBe(6 + 6 + 3);
        wire.Requests.Where(r => r.Contains("/query?", StringComparison.Ordinal)).ShouldNotContain(r => r.Contains("FROM Payment WHERE", StringComparison.OrdinalIgnoreCase),
            "a customer created by this run has no payment in QuickBooks that Jobkore does not know");
    }
}

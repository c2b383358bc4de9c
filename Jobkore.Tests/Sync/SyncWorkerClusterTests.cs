using System.Collections.Concurrent;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Settings;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Jobkore.Tests.Sync;

/// <summary>
/// Several app instances on one database (docs/design.md §9): a run asked of any instance is a row that whichever
/// instance takes the business's lease performs. The app's hosted worker is instance 1; <see cref="OtherInstance"/> is a
/// second worker on the same database, with a queue, a lease holder name and waiting requests of its own.
/// </summary>
public sealed class SyncWorkerClusterTests
{
    private const string Realm = QuickBooksApp.AcmeRealm;

    /// <summary>Which instance a QBO request comes from: the name its worker was started under; null for the app's own worker.</summary>
    private static readonly AsyncLocal<string?> s_instance = new();

    /// <summary>With a fake clock the client's minute never passes, so neither side counts requests a minute.</summary>
    private static readonly Dictionary<string, string?> s_unlimited = new()
    {
        ["QuickBooks:Limits:Enabled"] = "false",
        ["QuickBooks:Client:RequestsPerMinute"] = "100000",
        ["QuickBooks:Client:RequestsPerSecond"] = "100000",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequestOnOneInstance_WhileAnotherHoldsTheLease_WaitsAndIsPerformedAfterItsRun_AndItsTaskCompletesWithItsResult()
    {
        var two = new RequestHold(_ => s_instance.Value == "2");
        await using var app = new QuickBooksApp(beforeQboRequest: two.BeforeRequestAsync);
        try
        {
            await app.ConnectAcmeAsync();
            await using var other = await OtherInstance.StartAsync(app, "2");
            two.Start();
            var twoRun = other.Runs.RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
            await two.Held.WaitAsync(TimeSpan.FromMinutes(1), Ct);

            var oneRun = app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            oneRun.IsCompleted.ShouldBeFalse("instance 2 holds the business's lease: the request waits, it is not answered AlreadyRunning");
            two.Release();

            var first = await twoRun.WaitAsync(TimeSpan.FromMinutes(2), Ct);
            var second = await oneRun.WaitAsync(TimeSpan.FromMinutes(2), Ct);

            first.Outcome.ShouldBe(SyncRunOutcome.Completed);
            first.Summary.Synced.ShouldBeGreaterThan(40);
            second.Outcome.ShouldBe(SyncRunOutcome.Completed);
            second.Summary.Synced.ShouldBe(0, "it ran after instance 2's run, which had sent everything");
            var rows = await RowsAsync(app);
            rows.Count.ShouldBe(2);
            rows.ShouldAllBe(r => r.Outcome == nameof(SyncRunOutcome.Completed));
            rows[1].FinishedAt!.Value.ShouldBeGreaterThan(rows[0].FinishedAt!.Value);
            new[] { app.Services.GetRequiredService<SyncWorker>().Holder, other.Worker.Holder }.ShouldContain(rows[1].ClaimedBy);
            (await StoredResultAsync(app, rows[1].Id)).ShouldBe(second);
        }
        finally
        {
            two.Release();
        }
    }

    [Fact]
    public async Task InstanceKilledMidRun_AfterItsLeaseExpires_TheOtherInstancePerformsItsRequest_EveryDocumentOnceInQuickBooks()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        var one = new RequestHold(request => s_instance.Value is null && request.Method == HttpMethod.Post);
        await using var app = await QuickBooksApp.ConnectedAsync(time, s_unlimited, one.BeforeRequestAsync);
        try
        {
            await using var other = await OtherInstance.StartAsync(app, "2");
            one.Start();
            var request = app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
            await one.Held.WaitAsync(TimeSpan.FromMinutes(1), Ct);

            // Instance 1 dies with its first writes on the way: it renews its lease no more (its clock stands still) and
            // the lease expires; instance 2's next look finds the request no live lease covers.
            await WithDbAsync(app, db => db.SyncLeases.Where(l => l.BusinessId == app.BusinessId)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, time.GetUtcNow().AddSeconds(-1)), Ct));
            time.Advance(new SyncOptions().ClaimInterval + TimeSpan.FromSeconds(1));
            var row = await WaitForRowAsync(app, r => r.FinishedAt is not null);

            row.ClaimedBy.ShouldBe(other.Worker.Holder);
            row.Outcome.ShouldBe(nameof(SyncRunOutcome.Completed));

            // Instance 1's writes go after all (QuickBooks replays them: same requestid) and it stops, its lease gone; its
            // caller hears the result instance 2 wrote on the row.
            one.Release();
            var result = await request.WaitAsync(TimeSpan.FromMinutes(2), Ct);
            result.ShouldBe(await StoredResultAsync(app, row.Id));
            result.Summary.Synced.ShouldBeGreaterThan(40);

            var sandbox = await app.SandboxAsync();
            QuickBooksApp.Rows(sandbox, "Customer").Select(c => (string)c["DisplayName"]!).ShouldBeUnique();
            QuickBooksApp.Rows(sandbox, "Item").Select(c => (string)c["Name"]!).ShouldBeUnique();
            QuickBooksApp.Rows(sandbox, "Invoice").Select(i => (string)i["DocNumber"]!).ShouldBeUnique();
            (await QuickBooksOracle.MismatchesAsync(app, Realm, Ct)).ShouldBeEmpty();
            var pending = await PendingAsync(app);
            pending.Waiting.ShouldBe(pending.Failed, "everything not refused by QuickBooks is up to date");
        }
        finally
        {
            one.Release();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestRowOfAnInstanceThatDied_IsTakenOnAndPerformed(bool diedMidRun)
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        var now = TimeProvider.System.GetUtcNow();
        var row = SyncRequests.NewRow(app.BusinessId, null, SyncTrigger.SyncNow, now);
        await WithDbAsync(app, async db =>
        {
            if (diedMidRun)
            {
                // It had claimed the row under its lease, which has expired since.
                db.SyncLeases.Add(new SyncLease(app.BusinessId, "dead-instance", now.AddSeconds(-1)));
            }

            db.SyncRequests.Add(row);
            await db.SaveChangesAsync(Ct);
            return diedMidRun
                ? await db.SyncRequests.Where(r => r.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ClaimedBy, "dead-instance"), Ct)
                : 0;
        });

        var finished = await WaitForRowAsync(app, r => r.Id == row.Id && r.FinishedAt is not null);

        finished.Outcome.ShouldBe(nameof(SyncRunOutcome.Completed));
        finished.ClaimedBy.ShouldBe(app.Services.GetRequiredService<SyncWorker>().Holder);
        var pending = await PendingAsync(app);
        pending.Waiting.ShouldBe(pending.Failed);
    }

    [Fact]
    public async Task RetryOfAPassingFailure_IsOneRow_AndFiresOnceWithTwoInstancesRunning()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        await using var app = await QuickBooksApp.ConnectedAsync(time, new(s_unlimited) { ["QuickBooks:Client:TransientAttempts"] = "1" });
        await using var other = await OtherInstance.StartAsync(app, "2");
        var events = new ConcurrentQueue<SyncEvent>();
        using var subscription = app.Services.GetRequiredService<SyncNotifier>().Subscribe(app.BusinessId, e =>
        {
            events.Enqueue(e);
            return Task.CompletedTask;
        });
        app.Faults.Configure(Realm, new Jobkore.QuickBooksSandbox.FaultInjection.FaultSettings { ServerErrorRate = 1 });

        var first = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow).WaitAsync(TimeSpan.FromMinutes(2), Ct);

        first.Summary.TransientFailures.ShouldBeGreaterThan(0);
        var retry = (await RowsAsync(app)).Where(r => r.Trigger == nameof(SyncTrigger.TransientRetry)).ShouldHaveSingleItem();
        retry.Attempt.ShouldBe(1);
        retry.NotBefore.ShouldBe(time.GetUtcNow() + SyncWorker.FirstRetryDelay);
        retry.FinishedAt.ShouldBeNull();

        // Both instances' next looks find the retry due, at the same moment.
        app.Faults.Clear();
        time.Advance(SyncWorker.FirstRetryDelay + TimeSpan.FromSeconds(1));
        var done = await WaitForRowAsync(app, r => r.Id == retry.Id && r.FinishedAt is not null);
        await WaitUntilAsync(() => events.OfType<SyncRunFinished>().Count() >= 2, "the retry's run never said it finished");

        done.Outcome.ShouldBe(nameof(SyncRunOutcome.Completed));
        events.OfType<SyncRunStarted>().Count(s => s.Trigger == SyncTrigger.TransientRetry).ShouldBe(1, "one instance performed it; the other left it");
        (await RowsAsync(app)).Count(r => r.Trigger == nameof(SyncTrigger.TransientRetry)).ShouldBe(1, "the retry had no passing failure, so no further retry");
        (await LastSyncedAtAsync(app)).ShouldNotBeNull();
    }

    [Fact]
    public async Task AutoSync_WithTwoInstancesRunning_IsClaimedAndPerformedOnce()
    {
        // Now is 3:00 pm in Chicago; auto-sync is set for 4:00 pm.
        var time = new FakeTimeProvider(TestServices.Now);
        await using var app = await QuickBooksApp.ConnectedAsync(time, new(s_unlimited) { ["Sync:AutoSyncTimeOfDay"] = "16:00" });
        await using var other = await OtherInstance.StartAsync(app, "2");
        await using (var scope = app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<QuickBooksSettingsService>().SaveAsync(Realm, new QuickBooksSettingsInput(true, null, null), Ct);
        }

        var events = new ConcurrentQueue<SyncEvent>();
        using var subscription = app.Services.GetRequiredService<SyncNotifier>().Subscribe(app.BusinessId, e =>
        {
            events.Enqueue(e);
            return Task.CompletedTask;
        });

        time.Advance(TimeSpan.FromMinutes(61));
        var row = await WaitForRowAsync(app, r => r.Trigger == nameof(SyncTrigger.AutoSync) && r.FinishedAt is not null);
        await WaitUntilAsync(() => events.OfType<SyncRunFinished>().Any(), "the auto-sync's run never said it finished");

        // Both instances look again.
        time.Advance(new SyncOptions().CheckInterval + TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);

        row.Outcome.ShouldBe(nameof(SyncRunOutcome.Completed));
        (await RowsAsync(app)).Count(r => r.Trigger == nameof(SyncTrigger.AutoSync)).ShouldBe(1, "one instance claimed today's auto-sync");
        events.OfType<SyncRunStarted>().Count(s => s.Trigger == SyncTrigger.AutoSync).ShouldBe(1);
        (await LastSyncedAtAsync(app)).ShouldNotBeNull();
    }

    [Fact]
    public async Task RequestsWaitingWhenTheAppStops_ArePerformedAfterItStartsAgain()
    {
        var folder = Directory.CreateTempSubdirectory("jobkore-restart-").FullName;
        try
        {
            var hold = new RequestHold(_ => true);
            int invoiceId;
            await using (var first = new QuickBooksApp(beforeQboRequest: hold.BeforeRequestAsync, folder: folder))
            {
                await first.ConnectAcmeAsync();
                invoiceId = await AnInvoiceOfMariaAsync(first);
                var runs = first.Services.GetRequiredService<SyncRuns>();
                hold.Start();
                var syncNow = runs.RequestAsync(first.BusinessId, null, SyncTrigger.SyncNow);
                await hold.Held.WaitAsync(TimeSpan.FromMinutes(1), Ct);
                var resync = runs.RequestAsync(first.BusinessId, invoiceId, SyncTrigger.ResyncOne);
                await WaitForRowAsync(first, r => r.Trigger == nameof(SyncTrigger.ResyncOne));

                // The app stops while its run waits for QuickBooks and the Re-sync waits behind it.
                var stopping = first.Services.GetRequiredService<SyncWorker>().StopAsync(CancellationToken.None);
                hold.Release();
                await stopping.WaitAsync(TimeSpan.FromMinutes(2), Ct);

                await Should.ThrowAsync<OperationCanceledException>(syncNow.WaitAsync(TimeSpan.FromMinutes(1), Ct));
                await Should.ThrowAsync<OperationCanceledException>(resync.WaitAsync(TimeSpan.FromMinutes(1), Ct));
                (await RowsAsync(first)).ShouldAllBe(r => r.FinishedAt == null);
            }

            await using var restarted = new QuickBooksApp(folder: folder);
            await WaitForRowAsync(restarted, r => r.Trigger == nameof(SyncTrigger.ResyncOne) && r.FinishedAt is not null);
            await WaitForRowAsync(restarted, r => r.Trigger == nameof(SyncTrigger.SyncNow) && r.FinishedAt is not null);

            var rows = await RowsAsync(restarted);
            rows.ShouldAllBe(r => r.Outcome == nameof(SyncRunOutcome.Completed));
            rows.ShouldAllBe(r => r.ClaimedBy == restarted.Services.GetRequiredService<SyncWorker>().Holder);
            await using (var scope = restarted.SignedInScope())
            {
                (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ForInvoicesAsync(Realm, [invoiceId], Ct))[invoiceId].ShouldBe(SyncStatus.UpToDate);
            }

            var pending = await PendingAsync(restarted);
            pending.Waiting.ShouldBe(pending.Failed);
            QuickBooksApp.Rows(await restarted.SandboxAsync(), "Invoice").Select(i => (string)i["DocNumber"]!).ShouldBeUnique();
        }
        finally
        {
            TestDatabaseServer.Drop(folder);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<List<SyncRequest>> RowsAsync(QuickBooksApp app) =>
        await WithDbAsync(app, db => db.SyncRequests.AsNoTracking().OrderBy(r => r.Id).ToListAsync(Ct));

    private static async Task<SyncRunResult> StoredResultAsync(QuickBooksApp app, long rowId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<SyncRequests>().ResultsAsync([rowId], Ct))[rowId];
    }

    /// <summary>The first request row matching <paramref name="condition"/>, once there is one; two minutes at most.</summary>
    private static async Task<SyncRequest> WaitForRowAsync(QuickBooksApp app, Func<SyncRequest, bool> condition)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(2))
        {
            if ((await RowsAsync(app)).FirstOrDefault(condition) is { } row)
            {
                return row;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException("No request row came to match in two minutes.");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string because)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && watch.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(20, Ct);
        }

        condition().ShouldBeTrue(because);
    }

    private static async Task<T> WithDbAsync<T>(QuickBooksApp app, Func<JobkoreDbContext, Task<T>> use)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        return await use(db);
    }

    private static async Task<PendingCount> PendingAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(Realm, Ct);
    }

    private static async Task<DateTimeOffset?> LastSyncedAtAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return (await scope.ServiceProvider.GetRequiredService<Jobkore.Core.QuickBooks.Connections.QuickBooksConnectionService>().GetAsync(Ct))!.LastSyncedAt;
    }

    private static Task<int> AnInvoiceOfMariaAsync(QuickBooksApp app) =>
        WithDbAsync(app, db => db.Invoices.Where(i => i.Status == InvoiceStatus.Sent && i.Client!.DisplayName == "Maria O'Brien").Select(i => i.Id).FirstAsync(Ct));

    /// <summary>
    /// Another app instance's worker on the app's database: its own <see cref="SyncRuns"/> (queue, rows in hand, waiting
    /// requests) and <see cref="SyncWorker"/> (lease holder name), started like a hosted service; the QBO requests it
    /// sends carry its name (<see cref="s_instance"/>).
    /// </summary>
    private sealed class OtherInstance : IAsyncDisposable
    {
        private OtherInstance(SyncRuns runs, SyncWorker worker)
        {
            Runs = runs;
            Worker = worker;
        }

        public SyncRuns Runs { get; }

        public SyncWorker Worker { get; }

        public static async Task<OtherInstance> StartAsync(QuickBooksApp app, string name)
        {
            // Set only in this method's flow, which the worker's loop (and every run it starts) inherits.
            s_instance.Value = name;
            var runs = new SyncRuns(app.Services.GetRequiredService<IOptions<SyncOptions>>(), app.Services.GetRequiredService<IServiceScopeFactory>());
            var worker = ActivatorUtilities.CreateInstance<SyncWorker>(app.Services, runs);
            await worker.StartAsync(Ct);
            return new OtherInstance(runs, worker);
        }

        public async ValueTask DisposeAsync()
        {
            await Worker.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
            Worker.Dispose();
            Runs.Dispose();
        }
    }

    /// <summary>Once started, holds the QBO requests <paramref name="applies"/> picks until released (two minutes at most).</summary>
    private sealed class RequestHold(Func<HttpRequestMessage, bool> applies)
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _holding;

        /// <summary>Completes when the first such request is being held.</summary>
        public Task Held => _held.Task;

        public void Start() => Volatile.Write(ref _holding, true);

        public void Release() => _release.TrySetResult();

        public async Task BeforeRequestAsync(HttpRequestMessage request)
        {
            if (Volatile.Read(ref _holding) && !_release.Task.IsCompleted && applies(request))
            {
                _held.TrySetResult();
                await _release.Task.WaitAsync(TimeSpan.FromMinutes(2));
            }
        }
    }
}

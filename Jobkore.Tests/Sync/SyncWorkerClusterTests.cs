using System.Collections.Concurrent;
using System.Data.Common;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Settings;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
        var logs = new CapturedLogs();
        var holder = RequestHold.OfTheFirstInstance(_ => true);
        await using var app = new QuickBooksApp(beforeQboRequest: holder.BeforeRequestAsync, logs: logs);
        try
        {
            await app.ConnectAcmeAsync();
            await using var other = await OtherInstance.StartAsync(app, "2", logs);
            holder.Start();
            var firstRun = other.Runs.RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

            // Whichever instance took the lease for it (the other may have taken its row on first) is held mid-run; the
            // other instance is asked for a run now.
            await holder.Held.WaitAsync(TimeSpan.FromMinutes(1), Ct);
            var asked = holder.Instance == "2" ? app.Services.GetRequiredService<SyncRuns>() : other.Runs;
            var secondRun = asked.RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            secondRun.IsCompleted.ShouldBeFalse("the other instance holds the business's lease: the request waits, it is not answered AlreadyRunning");
            holder.Release();

            var first = await firstRun.WaitAsync(TimeSpan.FromMinutes(2), Ct);
            var second = await secondRun.WaitAsync(TimeSpan.FromMinutes(2), Ct);

            first.Outcome.ShouldBe(SyncRunOutcome.Completed);
            first.Summary.Synced.ShouldBeGreaterThan(40);
            second.Outcome.ShouldBe(SyncRunOutcome.Completed);
            second.Summary.Synced.ShouldBe(0, "it ran after the holder's run, which had sent everything");
            var rows = await RowsAsync(app);
            rows.Count.ShouldBe(2);
            rows.ShouldAllBe(r => r.Outcome == nameof(SyncRunOutcome.Completed));
            rows[1].FinishedAt!.Value.ShouldBeGreaterThan(rows[0].FinishedAt!.Value);
            new[] { app.Services.GetRequiredService<SyncWorker>().Holder, other.Worker.Holder }.ShouldContain(rows[1].ClaimedBy);
            (await StoredResultAsync(app, rows[1].Id)).ShouldBe(second);
        }
        finally
        {
            holder.Release();
        }
    }

    [Fact]
    public async Task InstanceKilledMidRun_AfterItsLeaseExpires_TheOtherInstancePerformsItsRequest_EveryDocumentOnceInQuickBooks()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        var logs = new CapturedLogs();
        var victim = RequestHold.OfTheFirstInstance(request => request.Method == HttpMethod.Post);
        var freeze = new DatabaseFreeze();
        await using var app = new QuickBooksApp(time, s_unlimited, victim.BeforeRequestAsync, logs: logs,
            testServices: services => services.ConfigureDbContext<JobkoreDbContext>(options => options.AddInterceptors(freeze)));
        s_instance.Value = "test"; // this test's own database calls are not the app's worker's
        try
        {
            await app.ConnectAcmeAsync();
            await using var other = await OtherInstance.StartAsync(app, "2", logs);
            victim.Start();
            var request = app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
            await victim.Held.WaitAsync(TimeSpan.FromMinutes(1), Ct);
            var survivor = victim.Instance == "2" ? app.Services.GetRequiredService<SyncWorker>() : other.Worker;

            // The instance running it dies with its first writes on the way: it sends nothing more, neither to QuickBooks
            // nor to the database (so it renews its lease no more, and its clock stands still), and the lease expires;
            // the other's next look finds the request no live lease covers.
            await freeze.FreezeAsync(victim.Instance!);
            await WithDbAsync(app, db => db.SyncLeases.Where(l => l.BusinessId == app.BusinessId)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, time.GetUtcNow().AddSeconds(-1)), Ct));
            time.Advance(new SyncOptions().ClaimInterval + TimeSpan.FromSeconds(1));
            var row = await WaitForRowAsync(app, r => r.FinishedAt is not null);

            row.ClaimedBy.ShouldBe(survivor.Holder);
            row.Outcome.ShouldBe(nameof(SyncRunOutcome.Completed));

            // The dead instance's writes go after all (QuickBooks replays them: same requestid) and it stops, its lease
            // gone; the caller hears the result the survivor wrote on the row.
            freeze.Release();
            victim.Release();
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
            freeze.Release();
            victim.Release();
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
        var logs = new CapturedLogs();
        await using var app = new QuickBooksApp(time, new(s_unlimited) { ["QuickBooks:Client:TransientAttempts"] = "1" }, logs: logs);
        await app.ConnectAcmeAsync();
        await using var other = await OtherInstance.StartAsync(app, "2", logs);
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
        var logs = new CapturedLogs();
        await using var app = new QuickBooksApp(time, new(s_unlimited) { ["Sync:AutoSyncTimeOfDay"] = "16:00" }, logs: logs);
        await app.ConnectAcmeAsync();
        await using var other = await OtherInstance.StartAsync(app, "2", logs);
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

        row.Outcome.ShouldBe(nameof(SyncRunOutcome.Completed), row.Message);
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

        /// <summary>Starts it, and waits until its first look at the rows is done (<paramref name="logs"/> are the app's).</summary>
        public static async Task<OtherInstance> StartAsync(QuickBooksApp app, string name, CapturedLogs logs)
        {
            // Set only in this method's flow, which the worker's loop (and every run it starts) inherits.
            s_instance.Value = name;
            var runs = new SyncRuns(app.Services.GetRequiredService<IOptions<SyncOptions>>(), app.Services.GetRequiredService<IServiceScopeFactory>());
            var worker = ActivatorUtilities.CreateInstance<SyncWorker>(app.Services, runs);
            await worker.StartAsync(Ct);
            await WaitUntilAsync(() => logs.Entries.Any(e => e.Contains($"The sync worker {worker.Holder} is running", StringComparison.Ordinal)),
                "the other instance's worker never made its first pass");
            return new OtherInstance(runs, worker);
        }

        public async ValueTask DisposeAsync()
        {
            await Worker.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
            Worker.Dispose();
            Runs.Dispose();
        }
    }

    /// <summary>
    /// Once an instance is frozen, it does nothing more in the database, like a process that was killed: each transaction
    /// it begins and each statement outside one waits until released (two minutes at most). What it had begun before
    /// finishes first, so it holds no lock while frozen.
    /// </summary>
    private sealed class DatabaseFreeze : DbCommandInterceptor, IDbTransactionInterceptor
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<DbTransaction, string> _open = new();
        private string? _frozen;

        /// <summary>Freezes <paramref name="instance"/> ("1" for the app's own worker) and waits until its open transactions have ended.</summary>
        public async Task FreezeAsync(string instance)
        {
            Volatile.Write(ref _frozen, instance);
            await WaitUntilAsync(() => !_open.Values.Contains(instance), "the frozen instance's transactions never ended");
        }

        public void Release() => _release.TrySetResult();

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await WaitIfFrozenAsync(command.Transaction is null);
            return result;
        }

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await WaitIfFrozenAsync(command.Transaction is null);
            return result;
        }

        public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            await WaitIfFrozenAsync(command.Transaction is null);
            return result;
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            WaitIfFrozenAsync(command.Transaction is null).GetAwaiter().GetResult();
            return result;
        }

        public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
            InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            await WaitIfFrozenAsync(true);
            return result;
        }

        public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
            CancellationToken cancellationToken = default)
        {
            _open[result] = Sender;
            return ValueTask.FromResult(result);
        }

        public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => Ended(transaction);

        public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => Ended(transaction);

        public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) => Ended(transaction);

        private static string Sender => s_instance.Value ?? "1";

        private Task Ended(DbTransaction transaction)
        {
            _open.TryRemove(transaction, out _);
            return Task.CompletedTask;
        }

        private async Task WaitIfFrozenAsync(bool outsideTransaction)
        {
            if (outsideTransaction && Volatile.Read(ref _frozen) == Sender)
            {
                await _release.Task.WaitAsync(TimeSpan.FromMinutes(2));
            }
        }
    }

    /// <summary>
    /// Once started, holds the QBO requests <paramref name="applies"/> picks until released (two minutes at most): every
    /// one, or (<see cref="OfTheFirstInstance"/>) those of the instance that sends the first of them.
    /// </summary>
    private sealed class RequestHold(Func<HttpRequestMessage, bool> applies, bool firstInstanceOnly = false)
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _holding;
        private string? _instance;

        /// <summary>Completes when the first such request is being held.</summary>
        public Task Held => _held.Task;

        /// <summary>The instance whose requests are held: "1" for the app's own worker, else the name the other was started under.</summary>
        public string? Instance => Volatile.Read(ref _instance);

        /// <summary>Holds the requests of whichever instance sends the first one <paramref name="applies"/> picks.</summary>
        public static RequestHold OfTheFirstInstance(Func<HttpRequestMessage, bool> applies) => new(applies, firstInstanceOnly: true);

        public void Start() => Volatile.Write(ref _holding, true);

        public void Release() => _release.TrySetResult();

        public async Task BeforeRequestAsync(HttpRequestMessage request)
        {
            if (!Volatile.Read(ref _holding) || _release.Task.IsCompleted || !applies(request))
            {
                return;
            }

            var sender = s_instance.Value ?? "1";
            if (!firstInstanceOnly || (Interlocked.CompareExchange(ref _instance, sender, null) ?? sender) == sender)
            {
                _held.TrySetResult();
                await _release.Task.WaitAsync(TimeSpan.FromMinutes(2));
            }
        }
    }
}

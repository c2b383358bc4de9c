using Jobkore.Core.Clients;
using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Settings;
using Jobkore.Core.Sync;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jobkore.Tests.Sync;

/// <summary>Runs through the worker hosted in the app: Sync Now, one run per business across processes, daily auto-sync.</summary>
public sealed class SyncRunsTests
{
    private const string Realm = QuickBooksApp.AcmeRealm;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<QuickBooksApp> ConnectedAppAsync(FakeTimeProvider? time = null, Dictionary<string, string?>? settings = null) =>
        QuickBooksApp.ConnectedAsync(time, settings);

    private static async Task<PendingCount> PendingAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(Realm, Ct);
    }

    [Fact]
    public async Task SyncNow_SendsEveryWaitingDocument_AndAfterFixingTheClashTheCountDropsToZero()
    {
        await using var app = await ConnectedAppAsync();
        var runs = app.Services.GetRequiredService<SyncRuns>();

        var first = await runs.RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        first.Outcome.ShouldBe(SyncRunOutcome.Completed);
        first.Summary.Synced.ShouldBeGreaterThan(40);
        var afterFirst = await PendingAsync(app);
        afterFirst.Waiting.ShouldBe(afterFirst.Failed);
        afterFirst.Failed.ShouldBeGreaterThan(0);

        await using (var scope = app.SignedInScope())
        {
            var clients = scope.ServiceProvider.GetRequiredService<ClientService>();
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
            var bob = await db.Clients.SingleAsync(c => c.DisplayName == "Bob's Burgers", Ct);
            await clients.UpdateAsync(bob.Id, bob.Details with { DisplayName = "Bob's Burgers (restaurant)" }, Ct);
        }

        var second = await runs.RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        second.Outcome.ShouldBe(SyncRunOutcome.Completed);
        second.Summary.Failed.ShouldBe(0);
        (await PendingAsync(app)).ShouldBe(new PendingCount(0, 0));
    }

    [Fact]
    public async Task SyncNow_PublishesStartProgressAndFinish_ToItsBusinessOnly()
    {
        await using var app = await ConnectedAppAsync();
        var events = new System.Collections.Concurrent.ConcurrentQueue<SyncEvent>();
        var otherBusiness = new System.Collections.Concurrent.ConcurrentQueue<SyncEvent>();
        var notifier = app.Services.GetRequiredService<SyncNotifier>();
        using var mine = notifier.Subscribe(app.BusinessId, e => { events.Enqueue(e); return Task.CompletedTask; });
        using var theirs = notifier.Subscribe(app.BusinessId + 1000, e => { otherBusiness.Enqueue(e); return Task.CompletedTask; });

        var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!events.OfType<SyncRunFinished>().Any() && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, Ct);
        }

        events.OfType<SyncRunStarted>().ShouldHaveSingleItem().Trigger.ShouldBe(SyncTrigger.SyncNow);
        events.OfType<SyncRunFinished>().ShouldHaveSingleItem().Result.ShouldBe(result);
        var progress = events.OfType<SyncRunProgress>().ToList();
        progress.Max(p => p.Done).ShouldBe(progress[0].Total);
        progress[0].Total.ShouldBe(result.Summary.Synced + result.Summary.Failed);
        events.OfType<SyncStatusChanged>().SelectMany(e => e.Changes).Count().ShouldBeGreaterThan(40);
        otherBusiness.ShouldBeEmpty();
    }

    [Fact]
    public async Task TwoProcessesOnOneDatabase_OnlyOneRunsABusinessAtATime_AndARequestWaitsUntilTheLeaseIsFree()
    {
        await using var app = await ConnectedAppAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var leases = scope.ServiceProvider.GetRequiredService<SyncLeases>();
        (await leases.TryAcquireAsync(app.BusinessId, "other-process", Ct)).ShouldBeTrue();
        var runs = app.Services.GetRequiredService<SyncRuns>();

        var whileHeld = runs.RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        // The worker found the lease taken and left the request's row for whoever holds it next.
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        whileHeld.IsCompleted.ShouldBeFalse("the request waits, it is not answered AlreadyRunning");
        (await PendingAsync(app)).Waiting.ShouldBeGreaterThan(40);

        await leases.ReleaseAsync(app.BusinessId, "other-process", Ct);
        var result = await whileHeld.WaitAsync(TimeSpan.FromMinutes(2), Ct);

        result.Outcome.ShouldBe(SyncRunOutcome.Completed, "it was performed once the lease was free");
        result.Summary.Synced.ShouldBeGreaterThan(40);
        var pending = await PendingAsync(app);
        pending.Waiting.ShouldBe(pending.Failed);
    }

    [Fact]
    public async Task Lease_OfAProcessThatDied_IsTakenOverOnceItExpires()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        await using var app = await ConnectedAppAsync(time);
        await using var scope = app.Services.CreateAsyncScope();
        var leases = scope.ServiceProvider.GetRequiredService<SyncLeases>();
        (await leases.TryAcquireAsync(app.BusinessId, "crashed-process", Ct)).ShouldBeTrue();

        (await leases.TryAcquireAsync(app.BusinessId, "new-process", Ct)).ShouldBeFalse();
        time.Advance(SyncLeases.Duration + TimeSpan.FromSeconds(1));

        (await leases.TryAcquireAsync(app.BusinessId, "new-process", Ct)).ShouldBeTrue();
        (await leases.RenewAsync(app.BusinessId, "crashed-process", Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task RunInterruptedByQuickBooksOutage_IsTriedAgainByItselfAfterABackoff()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        await using var app = await ConnectedAppAsync(time, new()
        {
            ["QuickBooks:Client:TransientAttempts"] = "1",
            ["QuickBooks:Limits:Enabled"] = "false",
        });
        app.Faults.Configure(Realm, new Jobkore.QuickBooksSandbox.FaultInjection.FaultSettings { ServerErrorRate = 1 });

        var first = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        first.Outcome.ShouldBe(SyncRunOutcome.Failed);
        first.Message.ShouldBe("QuickBooks could not be reached or is busy. Nothing was lost; Jobkore tries again shortly.");
        (await LastSyncedAtAsync(app)).ShouldBeNull();

        app.Faults.Clear();
        time.Advance(SyncWorker.FirstRetryDelay + TimeSpan.FromSeconds(1));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (await LastSyncedAtAsync(app) is null && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            // The worker may have set its next look's timer just after the clock moved on; time goes on for it, too.
            await Task.Delay(200, Ct);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        (await LastSyncedAtAsync(app)).ShouldNotBeNull("the worker tried again by itself after 30 s");
        var pending = await PendingAsync(app);
        pending.Waiting.ShouldBe(pending.Failed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AutoSync_FiresAtTheConfiguredTimeOfDay_OnlyWhenOn(bool on)
    {
        // Now is 3:00 pm in Chicago; auto-sync is set for 4:00 pm.
        var time = new FakeTimeProvider(TestServices.Now);
        await using var app = await ConnectedAppAsync(time, new() { ["Sync:AutoSyncTimeOfDay"] = "16:00" });
        await using (var scope = app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<QuickBooksSettingsService>().SaveAsync(Realm, new QuickBooksSettingsInput(on, null, null), Ct);
        }

        time.Advance(TimeSpan.FromMinutes(30));
        await Task.Delay(500, Ct);
        (await LastSyncedAtAsync(app)).ShouldBeNull("3:30 pm: not yet");

        time.Advance(TimeSpan.FromMinutes(31));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var waitFor = on ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(2);
        while (await LastSyncedAtAsync(app) is null && watch.Elapsed < waitFor)
        {
            await Task.Delay(200, Ct);
        }

        if (on)
        {
            (await LastSyncedAtAsync(app)).ShouldNotBeNull("4:01 pm: the daily auto-sync ran");
            var pending = await PendingAsync(app);
            pending.Waiting.ShouldBe(pending.Failed);
        }
        else
        {
            (await LastSyncedAtAsync(app)).ShouldBeNull("auto-sync is off");
        }
    }

    private static async Task<DateTimeOffset?> LastSyncedAtAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return (await scope.ServiceProvider.GetRequiredService<Jobkore.Core.QuickBooks.Connections.QuickBooksConnectionService>().GetAsync(Ct))!.LastSyncedAt;
    }
}

/// <summary>Disconnecting stops a sync that is going on.</summary>
public sealed class SyncDisconnectDuringRunTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Disconnect_WhileARunIsSending_StopsItAtItsNextRequest_AndMarksNothingFailed()
    {
        var batches = 0;
        Task disconnecting = Task.CompletedTask;
        QuickBooksApp app = default!;
        app = new QuickBooksApp(beforeQboRequest: async request =>
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/batch", StringComparison.Ordinal) && Interlocked.Increment(ref batches) == 2)
            {
                // An admin presses Disconnect while this batch is on its way (the request carries the token it had).
                disconnecting = DisconnectAsync(app, keepMappings: true);
                await WhenDisconnectedAsync(app);
            }
        });
        await using (app)
        {
            await app.ConnectAcmeAsync();

            var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
            await disconnecting;

            result.Outcome.ShouldBe(SyncRunOutcome.NotConnected);
            batches.ShouldBe(2, "nothing was sent after the batch the disconnect cut short");
            await using var check = app.SignedInScope();
            await using var db = await check.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
            (await db.SyncRecords.CountAsync(r => r.Failed && r.LastErrorCode == null && r.LastError != SyncErrorMessages.LostResponse, Ct)).ShouldBe(0);
            (await db.SyncRecords.CountAsync(r => r.LastError != null && r.LastError.Contains("not connected"), Ct)).ShouldBe(0);
        }
    }

    [Fact]
    public async Task DisconnectAndClearLinks_WhileBatchesAreInFlight_StopsTheRunFirst_LeavesNoLinkOrJournal_AndAnotherCompanyConnects()
    {
        var batches = 0;
        Task disconnecting = Task.CompletedTask;
        var clearing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        QuickBooksApp app = default!;
        app = new QuickBooksApp(afterQboResponse: async response =>
        {
            if (!response.RequestMessage!.RequestUri!.AbsolutePath.EndsWith("/batch", StringComparison.Ordinal))
            {
                return;
            }

            // QuickBooks has done the second batch (and any after it) when the admin clears the links: its answer is still on the way back.
            if (Interlocked.Increment(ref batches) == 2)
            {
                disconnecting = DisconnectAsync(app, keepMappings: false);
                clearing.TrySetResult();
            }

            if (Volatile.Read(ref batches) >= 2)
            {
                await clearing.Task;
                await Task.Delay(200, Ct);
            }
        });
        await using (app)
        {
            await app.ConnectAcmeAsync();

            var result = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
            await disconnecting;

            result.Outcome.ShouldBe(SyncRunOutcome.NotConnected);
            await using (var check = app.SignedInScope())
            {
                await using var db = await check.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
                (await db.SyncRecords.CountAsync(Ct)).ShouldBe(0, "no answer arriving after the clear may write a link back");
                (await db.SyncJournal.CountAsync(Ct)).ShouldBe(0);
                (await db.QuickBooksConnections.CountAsync(Ct)).ShouldBe(0);
            }

            using var client = app.Client();
            (await QuickBooksApp.ConnectAsync(client, QuickBooksApp.SecondRealm)).ShouldBe("/settings/integrations?quickbooks=connected");
        }
    }

    private static async Task DisconnectAsync(QuickBooksApp app, bool keepMappings)
    {
        await using var scope = app.SignedInScope();
        await scope.ServiceProvider.GetRequiredService<Jobkore.Core.QuickBooks.Connections.QuickBooksConnectionService>().DisconnectAsync(keepMappings, CancellationToken.None);
    }

    private static async Task WhenDisconnectedAsync(QuickBooksApp app)
    {
        for (var poll = 0; poll < 500; poll++)
        {
            await using var scope = app.SignedInScope();
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
            if (!await db.QuickBooksConnections.AnyAsync(c => c.Status == Jobkore.Core.QuickBooks.Connections.QuickBooksConnectionStatus.Connected, Ct))
            {
                return;
            }

            await Task.Delay(10, Ct);
        }

        throw new TimeoutException("The connection never showed as disconnected.");
    }
}

/// <summary>A run whose lease another worker took over (docs/design.md §4 invariant 4): it stops, and writes nothing more.</summary>
public sealed class SyncLeaseLossTests
{
    private const string RunStopped = "was taken by another process; this run stopped";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunWhoseLeaseIsTakenOver_SendsNothingMore_AndItsRequestIsAnsweredWithTheResultOfTheWorkerThatFinishedTheSync()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        var workerBRuns = false;
        var writesAfterTakeover = 0;
        var takenOver = false;
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await QuickBooksApp.ConnectedAsync(time, new()
        {
            ["QuickBooks:Limits:Enabled"] = "false",
            ["QuickBooks:Client:RequestsPerMinute"] = "100000",
            ["QuickBooks:Client:RequestsPerSecond"] = "100000",
        }, beforeQboRequest: async request =>
        {
            if (request.Method != HttpMethod.Post)
            {
                return;
            }

            if (Volatile.Read(ref takenOver))
            {
                Interlocked.Increment(ref writesAfterTakeover);
            }

            if (!Volatile.Read(ref workerBRuns))
            {
                // Worker A stalls with its first writes on the way (none answered), longer than its lease lasts.
                stalled.TrySetResult();
                await resume.Task.WaitAsync(TimeSpan.FromMinutes(2));
            }
        });
        var workerA = app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
        await stalled.Task.WaitAsync(TimeSpan.FromMinutes(1), Ct);

        // Its lease expires and worker B (another process on the same database) takes it, in one step: A's lookups go on
        // while its writes stall, and a save of theirs in between would renew the lease before B could take it.
        Volatile.Write(ref workerBRuns, true);
        var workerB = ActivatorUtilities.CreateInstance<SyncWorker>(app.Services);
        await using (var scope = app.SignedInScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
            var expires = time.GetUtcNow() + SyncLeases.Duration;
            (await db.SyncLeases.Where(l => l.BusinessId == app.BusinessId)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, workerB.Holder).SetProperty(l => l.ExpiresAt, expires), Ct)).ShouldBe(1);
        }

        var b = await workerB.RunAsync(new SyncRunRequest(app.BusinessId, null, SyncTrigger.SyncNow), Ct);
        b.Outcome.ShouldBe(SyncRunOutcome.Completed);

        // A wakes up: its heartbeat finds the lease gone, and it must not send another write.
        Volatile.Write(ref takenOver, true);
        time.Advance(SyncLeases.Duration / 3 + TimeSpan.FromSeconds(1));
        resume.TrySetResult();
        var a = await workerA.WaitAsync(TimeSpan.FromMinutes(1), Ct);

        a.ShouldBe(b, "worker B's run of every waiting document claimed A's request and wrote its result on it");
        writesAfterTakeover.ShouldBe(0, "a run that lost its lease sends nothing after the request it had on the way");
        var sandbox = await app.SandboxAsync();
        QuickBooksApp.Rows(sandbox, "Customer").Select(c => (string)c["DisplayName"]!).ShouldBeUnique();
        QuickBooksApp.Rows(sandbox, "Invoice").Select(i => (string)i["DocNumber"]!).ShouldBeUnique();
        await using var check = app.Services.CreateAsyncScope();
        (await check.ServiceProvider.GetRequiredService<SyncLeases>().IsHeldAsync(app.BusinessId, Ct)).ShouldBeFalse("both workers gave their lease back");
    }

    /// <summary>
    /// The other half of losing a lease: the heartbeat cannot renew it at all (the database refuses), for as long as
    /// the lease lasts. The run must then assume another process may hold it, and send nothing more; its request stays
    /// waiting, and is performed under a lease held again once the database answers.
    /// </summary>
    [Fact]
    public async Task RunWhoseHeartbeatCannotRenewForALeasesLength_StopsAndSendsNothingMore_ThenItsRequestIsPerformedUnderANewLease()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        var logs = new CapturedLogs();
        var writesAfterLoss = 0;
        var lost = false;
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = new QuickBooksApp(time, new()
        {
            ["QuickBooks:Limits:Enabled"] = "false",
            ["QuickBooks:Client:RequestsPerMinute"] = "100000",
            ["QuickBooks:Client:RequestsPerSecond"] = "100000",
        }, beforeQboRequest: async request =>
        {
            if (request.Method != HttpMethod.Post)
            {
                return;
            }

            // Until the run says it stopped; a write after that is the request performed again, under a new lease.
            if (Volatile.Read(ref lost) && !logs.Entries.Any(e => e.Contains(RunStopped, StringComparison.Ordinal)))
            {
                Interlocked.Increment(ref writesAfterLoss);
            }

            // Every write of the first wave waits, so none is answered (and recorded) while the database refuses.
            stalled.TrySetResult();
            await resume.Task.WaitAsync(TimeSpan.FromMinutes(2));
        }, logs: logs);
        await app.ConnectAcmeAsync();
        var run = app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
        await stalled.Task.WaitAsync(TimeSpan.FromMinutes(1), Ct);

        // Every renewal now fails with an exception, not a "someone else holds it".
        await ExecuteAsync(app, """ALTER TABLE "SyncLeases" RENAME TO "SyncLeasesAway";""");
        for (var failures = 1; failures <= 3; failures++)
        {
            time.Advance(SyncLeases.Duration / 3 + TimeSpan.FromSeconds(1));
            await WaitUntilAsync(() => logs.Entries.Count(e => e.Contains("Could not renew the sync lease", StringComparison.Ordinal)) >= failures, "the heartbeat never tried again");
        }

        await ExecuteAsync(app, """ALTER TABLE "SyncLeasesAway" RENAME TO "SyncLeases";""");
        Volatile.Write(ref lost, true);
        resume.TrySetResult();
        await WaitUntilAsync(() => logs.Entries.Any(e => e.Contains(RunStopped, StringComparison.Ordinal)), "the run never stopped");

        writesAfterLoss.ShouldBe(0, "a run that could not keep its lease sends nothing after the request it had on the way");

        // The worker's pause after the database refused it, and its claim interval, pass: it takes the request on again.
        // The clock moves on in steps until it has, as the worker may start its pause only after a first step (a loaded machine).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!run.IsCompleted && watch.Elapsed < TimeSpan.FromMinutes(2))
        {
            time.Advance(TimeSpan.FromSeconds(15));
            await Task.WhenAny(run, Task.Delay(200, Ct));
        }

        var result = await run.WaitAsync(TimeSpan.FromSeconds(1), Ct);
        result.Outcome.ShouldBe(SyncRunOutcome.Completed);
    }

    private static async Task ExecuteAsync(QuickBooksApp app, string sql)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        await db.Database.ExecuteSqlRawAsync(sql, Ct);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string because)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && watch.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(10, Ct);
        }

        condition().ShouldBeTrue(because);
    }
}

/// <summary>The invoice page shows its sync status, message and action (prerendered HTML, over HTTP).</summary>
public sealed class InvoicePageSyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InvoicePages_ShowNothingBeforeConnecting_ThenUpToDateOrFailedWithItsMessageAfterASync()
    {
        await using var app = new QuickBooksApp();
        using var client = app.Client();
        int goodId, badId;
        await using (var scope = app.SignedInScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
            goodId = await db.Invoices.Where(i => i.Status == Jobkore.Core.Domain.InvoiceStatus.Sent && i.Client!.DisplayName == "Maria O'Brien").Select(i => i.Id).FirstAsync(Ct);
            badId = await db.Invoices.Where(i => i.Status == Jobkore.Core.Domain.InvoiceStatus.Sent && i.Client!.DisplayName == "Bob's Burgers").Select(i => i.Id).FirstAsync(Ct);
        }

        (await client.GetStringAsync(new Uri($"/invoices/{goodId}", UriKind.Relative), Ct)).ShouldNotContain("data-testid=\"invoice-sync\"");
        (await client.GetStringAsync(new Uri("/invoices", UriKind.Relative), Ct)).ShouldNotContain("data-sync-status");

        await QuickBooksApp.ConnectAsync(client);
        (await client.GetStringAsync(new Uri($"/invoices/{goodId}", UriKind.Relative), Ct)).ShouldContain("data-sync-status=\"NotSynced\"");
        await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        (await client.GetStringAsync(new Uri($"/invoices/{goodId}", UriKind.Relative), Ct)).ShouldContain("data-sync-status=\"UpToDate\"");
        var bad = await client.GetStringAsync(new Uri($"/invoices/{badId}", UriKind.Relative), Ct);
        bad.ShouldContain("data-sync-status=\"Failed\"");
        bad.ShouldContain("could not be sent. Fix that first; this invoice follows on the next sync.");
        bad.ShouldContain("Retry sending to QuickBooks");
        var list = await client.GetStringAsync(new Uri("/invoices", UriKind.Relative), Ct);
        list.ShouldContain("<th scope=\"col\">QuickBooks</th>");
        list.ShouldContain("data-sync-status=\"UpToDate\"");

        // The details panel: QuickBooks id, the link to the sandbox's page of that invoice, and the history.
        var good = await client.GetStringAsync(new Uri($"/invoices/{goodId}", UriKind.Relative), Ct);
        good.ShouldContain("data-testid=\"sync-panel\"");
        var qboId = System.Text.RegularExpressions.Regex.Match(good, "data-testid=\"qbo-id\">(\\d+)<").Groups[1].Value;
        qboId.ShouldNotBeEmpty();
        good.ShouldContain($"href=\"/qbo-sandbox/_sandbox/companies/{QuickBooksApp.AcmeRealm}/invoices/{qboId}\"");
        good.ShouldContain("Created in QuickBooks");
        (await client.GetStringAsync(new Uri($"/qbo-sandbox/_sandbox/companies/{QuickBooksApp.AcmeRealm}/invoices/{qboId}", UriKind.Relative), Ct))
            .ShouldContain("Maria O&#39;Brien");

        // The QuickBooks filter: failed shows only the clashing client's invoices; up to date none of them.
        var failed = await client.GetStringAsync(new Uri("/invoices?sync=failed", UriKind.Relative), Ct);
        failed.ShouldContain("Bob&#x27;s Burgers");
        failed.ShouldNotContain("data-sync-status=\"UpToDate\"");
        failed.ShouldNotContain("data-sync-status=\"NotSynced\"");
        var upToDate = await client.GetStringAsync(new Uri("/invoices?sync=up-to-date", UriKind.Relative), Ct);
        upToDate.ShouldContain("data-sync-status=\"UpToDate\"");
        upToDate.ShouldNotContain("data-sync-status=\"Failed\"");
        upToDate.ShouldNotContain("data-sync-status=\"NotSynced\"");
    }

    [Fact]
    public async Task SyncSelected_SendsOnlyThoseInvoicesWithTheirClient_AndTheRestKeepWaiting()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        const string Realm = QuickBooksApp.AcmeRealm;
        List<int> selected;
        int waitingBefore;
        await using (var scope = app.SignedInScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
            selected = await db.Invoices.Where(i => i.Status != Jobkore.Core.Domain.InvoiceStatus.Draft && i.Client!.DisplayName == "Maria O'Brien")
                .OrderBy(i => i.Id).Select(i => i.Id).Take(2).ToListAsync(Ct);
            waitingBefore = (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(Realm, Ct)).Waiting;
        }

        var result = await app.Services.GetRequiredService<SyncRuns>().RequestInvoicesAsync(app.BusinessId, selected, SyncTrigger.SyncSelected);

        result.Outcome.ShouldBe(SyncRunOutcome.Completed);
        result.Summary.Failed.ShouldBe(0);
        await using (var scope = app.SignedInScope())
        {
            var statuses = scope.ServiceProvider.GetRequiredService<SyncStatuses>();
            (await statuses.ForInvoicesAsync(Realm, selected, Ct)).Values.ShouldAllBe(s => s == SyncStatus.UpToDate);
            var paymentsOfSelected = await (await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct))
                .Payments.CountAsync(p => selected.Contains(p.InvoiceId), Ct);
            (await statuses.PendingCountAsync(Realm, Ct)).Waiting.ShouldBe(waitingBefore - selected.Count - paymentsOfSelected);
        }

        // Only the selected invoices reached QuickBooks (the sandbox company starts with none of Jobkore's numbers).
        var sandbox = await app.SandboxAsync(Realm);
        var numbers = QuickBooksApp.Rows(sandbox, "Invoice").Select(i => (string?)i["DocNumber"]).ToHashSet();
        await using (var scope = app.SignedInScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
            var ours = await db.Invoices.Select(i => new { i.Id, i.Number }).ToListAsync(Ct);
            ours.Where(i => numbers.Contains(i.Number)).Select(i => i.Id).Order().ShouldBe(selected.Order());
        }
    }
}

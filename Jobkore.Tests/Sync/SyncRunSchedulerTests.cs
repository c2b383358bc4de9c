using Jobkore.Core.Sync;
using Microsoft.Extensions.Time.Testing;

namespace Jobkore.Tests.Sync;

/// <summary>Which requested runs start, and when: the cap, one run per business, turns, the invoices' lane, shutdown.</summary>
public sealed class SyncRunSchedulerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SyncRunRequest Everything(int businessId, SyncTrigger trigger = SyncTrigger.SyncNow) => new(businessId, null, trigger);

    private static SyncRunRequest Invoice(int businessId, int invoiceId) => new(businessId, [invoiceId], SyncTrigger.ResyncOne);

    private static ScheduledRun Start(SyncRunScheduler sut)
    {
        sut.TryStart(out var run).ShouldBeTrue("a run should have been able to start");
        return run;
    }

    [Fact]
    public void TryStart_WithTheCapTaken_StartsNoMoreRunsOfEverything_AndTheNextInLineStartsWhenOneEnds()
    {
        var sut = new SyncRunScheduler(capacity: 2);
        foreach (var business in new[] { 1, 2, 3, 4 })
        {
            sut.Enqueue(Everything(business, SyncTrigger.AutoSync));
        }

        var first = Start(sut);
        var second = Start(sut);
        sut.TryStart(out _).ShouldBeFalse("two runs of everything go on, the cap is two");

        sut.Complete(first);
        var third = Start(sut);
        sut.TryStart(out _).ShouldBeFalse();
        sut.Complete(second);
        var fourth = Start(sut);

        new[] { first, second, third, fourth }.Select(r => r.BusinessId).ShouldBe([1, 2, 3, 4], "they start in the order they were asked for");
    }

    [Fact]
    public void TryStart_WhileABusinessRuns_StartsNothingMoreOfIt_ThenItsNextRequestWhenTheRunEnds()
    {
        var sut = new SyncRunScheduler(capacity: 4);
        sut.Enqueue(Everything(1));
        var running = Start(sut);
        sut.Enqueue(Invoice(1, 10));
        sut.Enqueue(Everything(1));

        sut.TryStart(out _).ShouldBeFalse("its run goes on, though both lanes have room");

        sut.Complete(running);
        var next = Start(sut);
        next.Request.InvoiceIds.ShouldBe([10], "its oldest request goes next");
        sut.TryStart(out _).ShouldBeFalse();
        sut.Complete(next);
        Start(sut).Request.InvoiceIds.ShouldBeNull();
    }

    [Fact]
    public void TryStart_ABusinessWithManyQueuedRequests_TakesTurnsWithTheOthers()
    {
        var sut = new SyncRunScheduler(capacity: 1);
        for (var invoice = 1; invoice <= 5; invoice++)
        {
            sut.Enqueue(Invoice(1, invoice));
        }

        sut.Enqueue(Invoice(2, 20));
        sut.Enqueue(Invoice(3, 30));
        var order = new List<int>();

        while (sut.TryStart(out var run))
        {
            order.Add(run.BusinessId);
            sut.Complete(run);
        }

        order.ShouldBe([1, 2, 3, 1, 1, 1, 1], "a business whose oldest request started goes to the back of the line");
    }

    [Fact]
    public void TryStart_AReSyncThatGoesBeforeItsBusinesssWaitingSyncNow_KeepsThatSyncNowsPlaceInLine()
    {
        var sut = new SyncRunScheduler(capacity: 1);
        sut.Enqueue(Everything(1));
        var backlog = Start(sut);
        sut.Enqueue(Everything(2));
        sut.Enqueue(Everything(3));
        sut.Enqueue(Invoice(2, 20));
        var resync = Start(sut);
        resync.BusinessId.ShouldBe(2);
        sut.Complete(resync);

        sut.Complete(backlog);

        Start(sut).BusinessId.ShouldBe(2, "business 2 asked before business 3");
    }

    [Fact]
    public async Task TryStart_SeveralQueuedRequestsOfEverything_AreOneRunThatAnswersThemAll()
    {
        var sut = new SyncRunScheduler(capacity: 1);
        sut.Enqueue(Everything(1));
        var running = Start(sut);
        var queued = new[] { Everything(1), Everything(1, SyncTrigger.TransientRetry), Everything(1, SyncTrigger.AutoSync) };
        var resync = Invoice(1, 10);
        sut.Enqueue(queued[0]);
        sut.Enqueue(resync);
        sut.Enqueue(queued[1]);
        sut.Enqueue(queued[2]);
        sut.Complete(running);

        var next = Start(sut);

        next.Requests.ShouldBe(queued);
        next.Request.Trigger.ShouldBe(SyncTrigger.SyncNow, "the oldest says why it runs");
        var result = new SyncRunResult(SyncRunOutcome.Completed, new SyncSummary(3, 0, 1));
        next.Answer(result);
        foreach (var request in queued)
        {
            (await request.Completion.Task).ShouldBeSameAs(result);
        }

        resync.Completion.Task.IsCompleted.ShouldBeFalse("a run of chosen invoices is its own");
        sut.Complete(next);
        Start(sut).Requests.ShouldBe([resync]);
    }

    [Fact]
    public void TryStart_WithEveryRunOfEverythingTaken_StillStartsRunsOfChosenInvoices_UpToTheirOwnLane()
    {
        var sut = new SyncRunScheduler(capacity: 1);
        sut.Enqueue(Everything(1));
        Start(sut);
        sut.Enqueue(Everything(2));
        sut.TryStart(out _).ShouldBeFalse("the cap is taken by business 1's backlog");

        sut.Enqueue(Invoice(3, 30));
        var resync = Start(sut);

        resync.BusinessId.ShouldBe(3);
        resync.OfInvoices.ShouldBeTrue();

        // Business 2's own Re-sync goes before its Sync Now that waits for room.
        sut.Enqueue(Invoice(2, 20));
        sut.Enqueue(Invoice(4, 40));
        sut.TryStart(out _).ShouldBeFalse("the invoices' lane is as wide as the cap, and business 3's Re-sync takes it");
        sut.Complete(resync);
        var nextResync = Start(sut);
        nextResync.BusinessId.ShouldBe(2);
        nextResync.OfInvoices.ShouldBeTrue();
        sut.TryStart(out _).ShouldBeFalse();
    }

    /// <summary>Many businesses asking in a random order, runs ending in a random order: the rules hold at every step, and every request is answered once.</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(16, 42)]
    public void TryStartAndComplete_InAnyOrder_NeverPassTheCapOrOverlapABusiness_AndAnswerEveryRequest(int capacity, int seed)
    {
        var random = new Random(seed);
        var sut = new SyncRunScheduler(capacity);
        var asked = new List<SyncRunRequest>();
        var going = new List<ScheduledRun>();
        for (var step = 0; step < 2_000; step++)
        {
            if (step < 1_500 && random.Next(3) == 0)
            {
                var request = random.Next(4) == 0 ? Invoice(random.Next(40), step) : Everything(random.Next(40));
                asked.Add(request);
                sut.Enqueue(request);
            }
            else if (going.Count > 0 && random.Next(2) == 0)
            {
                var ended = going[random.Next(going.Count)];
                going.Remove(ended);
                ended.Answer(new SyncRunResult(SyncRunOutcome.Completed, SyncSummary.Empty));
                sut.Complete(ended);
            }
            else if (sut.TryStart(out var run))
            {
                going.Add(run);
            }

            going.Count(r => !r.OfInvoices).ShouldBeLessThanOrEqualTo(capacity);
            going.Count(r => r.OfInvoices).ShouldBeLessThanOrEqualTo(capacity);
            going.Select(r => r.BusinessId).ShouldBeUnique("a business has one run at a time");
        }

        // Then the worker carries on until nothing waits.
        do
        {
            while (sut.TryStart(out var run))
            {
                going.Add(run);
            }

            foreach (var run in going)
            {
                run.Answer(new SyncRunResult(SyncRunOutcome.Completed, SyncSummary.Empty));
                sut.Complete(run);
            }
        }
        while (going.RemoveAll(_ => true) > 0);

        asked.ShouldAllBe(r => r.Completion.Task.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CancelQueued_CancelsEveryWaitingRequest_AndEveryOneAskedAfter_ButNotTheRunsGoingOn()
    {
        var sut = new SyncRunScheduler(capacity: 1);
        var running = Everything(1);
        sut.Enqueue(running);
        var run = Start(sut);
        var waiting = new[] { Everything(2), Invoice(1, 10), Everything(3) };
        foreach (var request in waiting)
        {
            sut.Enqueue(request);
        }

        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();
        sut.CancelQueued(stopping.Token);
        var late = Everything(4);
        sut.Enqueue(late);

        waiting.Append(late).ShouldAllBe(r => r.Completion.Task.IsCanceled);
        running.Completion.Task.IsCompleted.ShouldBeFalse("the worker answers or cancels the run it performs");
        sut.Complete(run);
        sut.TryStart(out _).ShouldBeFalse("nothing waits any more");
    }

    [Fact]
    public async Task WaitForChangeAsync_ReturnsWhenARequestIsQueued_AndWhenARunEnds()
    {
        var time = new FakeTimeProvider();
        var sut = new SyncRunScheduler(capacity: 1);

        var waitForRequest = sut.WaitForChangeAsync(TimeSpan.FromHours(1), time, Ct);
        waitForRequest.IsCompleted.ShouldBeFalse();
        sut.Enqueue(Everything(1));
        await waitForRequest.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var run = Start(sut);
        sut.Enqueue(Everything(2));
        await sut.WaitForChangeAsync(TimeSpan.FromHours(1), time, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        sut.TryStart(out _).ShouldBeFalse("the cap is taken");

        var waitForRoom = sut.WaitForChangeAsync(TimeSpan.FromHours(1), time, Ct);
        waitForRoom.IsCompleted.ShouldBeFalse();
        sut.Complete(run);
        await waitForRoom.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Start(sut).BusinessId.ShouldBe(2);
    }

    [Fact]
    public async Task WaitForChangeAsync_WithNothingHappening_ReturnsWhenTheTimeoutPasses()
    {
        var time = new FakeTimeProvider();
        var sut = new SyncRunScheduler(capacity: 1);

        var wait = sut.WaitForChangeAsync(TimeSpan.FromMinutes(1), time, Ct);
        wait.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromMinutes(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }
}

using System.Threading.RateLimiting;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Tests.TestSupport;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Jobkore.Tests.Core.QuickBooks.Client;

public sealed class QboRateLimiterTests
{
    private const string Realm = "realm-a";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static QboRateLimiter Limiter(FakeTimeProvider time, int requestsPerMinute = 500, int batchesPerMinute = 40, double timeScale = 1, int requestsPerSecond = 10) =>
        new(Options.Create(new QboClientOptions
        {
            RequestsPerMinute = requestsPerMinute, BatchRequestsPerMinute = batchesPerMinute, TimeScale = timeScale, RequestsPerSecond = requestsPerSecond,
        }), time);

    /// <summary>The most of <paramref name="starts"/> (in order) that fall within one second of each other.</summary>
    private static int MostStartedWithinASecond(List<DateTimeOffset> starts) =>
        starts.Select((start, i) => starts.Skip(i).TakeWhile(later => later - start < TimeSpan.FromSeconds(1)).Count()).DefaultIfEmpty().Max();

    /// <summary>Lets granted waiters' continuations run, then says whether the task is done.</summary>
    private static async Task<bool> DoneAsync(Task task)
    {
        await Task.WhenAny(task, Task.Delay(200, Ct));
        return task.IsCompleted;
    }

    [Fact]
    public async Task AcquireAsync_BeyondTheConcurrentLimit_WaitsForASlotOfTheSameCompanyOnly()
    {
        using var sut = new QboRateLimiter(Options.Create(new QboClientOptions { ConcurrentRequests = 2 }));
        var first = await sut.AcquireAsync(Realm, Ct);
        using var second = await sut.AcquireAsync(Realm, Ct);

        var third = sut.AcquireAsync(Realm, Ct).AsTask();
        using var otherCompany = await sut.AcquireAsync("realm-b", Ct);
        await Task.Delay(50, Ct);
        third.IsCompleted.ShouldBeFalse();

        first.Dispose();
        using var granted = await third.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        granted.ShouldNotBeNull();
    }

    [Fact]
    public async Task AcquireAsync_AWaiterTheMinuteHasNoRoomFor_KeepsNoRequestThatFitsWaiting()
    {
        using var sut = new QboRateLimiter(Options.Create(new QboClientOptions { BatchRequestsPerMinute = 1, ConcurrentRequests = 1 }), new FakeTimeProvider(TestServices.Now));
        (await sut.AcquireAsync(Realm, QboSlotKind.Batch, Ct)).Dispose();
        var batch = sut.AcquireAsync(Realm, QboSlotKind.Batch, Ct).AsTask();

        var single = sut.AcquireAsync(Realm, QboSlotKind.Request, Ct).AsTask();

        (await DoneAsync(single)).ShouldBeTrue("the single request fits the minute, and nothing is in flight");
        (await DoneAsync(batch)).ShouldBeFalse();
        (await single).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_HoldsNothing()
    {
        using var sut = new QboRateLimiter(Options.Create(new QboClientOptions { RequestsPerMinute = 2, ConcurrentRequests = 1 }), new FakeTimeProvider(TestServices.Now));
        var held = await sut.AcquireAsync(Realm, Ct);
        using var cancel = new CancellationTokenSource();
        var waiting = sut.AcquireAsync(Realm, cancel.Token).AsTask();
        (await DoneAsync(waiting)).ShouldBeFalse("the only place in flight is taken");

        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => waiting);
        held.Dispose();

        using var next = await sut.AcquireAsync(Realm, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        next.ShouldNotBeNull("the cancelled waiter left the minute's second request and the place in flight free");
    }

    [Fact]
    public async Task AcquireAsync_BeyondRequestsPerMinute_Waits()
    {
        using var sut = new QboRateLimiter(Options.Create(new QboClientOptions { RequestsPerMinute = 3 }));
        for (var i = 0; i < 3; i++)
        {
            (await sut.AcquireAsync(Realm, Ct)).Dispose();
        }

        var fourth = sut.AcquireAsync(Realm, Ct).AsTask();
        await Task.Delay(100, Ct);

        fourth.IsCompleted.ShouldBeFalse();
    }

    [Fact]
    public async Task AcquireAsync_ARequestCounts_UntilAMinuteAfterItsAnswer()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        using var sut = Limiter(time, requestsPerMinute: 1);
        var slow = await sut.AcquireAsync(Realm, Ct);
        time.Advance(TimeSpan.FromSeconds(30));
        slow.Dispose();

        var next = sut.AcquireAsync(Realm, Ct).AsTask();
        time.Advance(TimeSpan.FromSeconds(31));
        (await DoneAsync(next)).ShouldBeFalse("QuickBooks may have seen the first request as late as its answer");

        time.Advance(TimeSpan.FromSeconds(30));
        (await DoneAsync(next)).ShouldBeTrue();
        (await next).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_BatchesBeyondBatchRequestsPerMinute_WaitForTheFirstToLeaveTheMinute()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        using var sut = Limiter(time, batchesPerMinute: 2);
        (await sut.AcquireAsync(Realm, QboSlotKind.Batch, Ct)).Dispose();
        (await sut.AcquireAsync(Realm, QboSlotKind.Batch, Ct)).Dispose();

        var third = sut.AcquireAsync(Realm, QboSlotKind.Batch, Ct).AsTask();
        using (await sut.AcquireAsync(Realm, QboSlotKind.Request, Ct))
        {
            // A single request still goes meanwhile.
        }

        time.Advance(TimeSpan.FromSeconds(59));
        (await DoneAsync(third)).ShouldBeFalse();
        time.Advance(TimeSpan.FromSeconds(2));
        (await DoneAsync(third)).ShouldBeTrue();
        (await third).IsBatch.ShouldBeTrue();
    }

    [Fact]
    public async Task AcquireAsync_BatchOrRequest_IsABatchWhileTheMinuteAllowsOne_ThenASingleRequest()
    {
        using var sut = Limiter(new FakeTimeProvider(TestServices.Now), batchesPerMinute: 1);

        using var first = await sut.AcquireAsync(Realm, QboSlotKind.BatchOrRequest, Ct);
        using var second = await sut.AcquireAsync(Realm, QboSlotKind.BatchOrRequest, Ct);

        first.IsBatch.ShouldBeTrue();
        second.IsBatch.ShouldBeFalse();
    }

    [Fact]
    public async Task AcquireAsync_SingleRequestsWhileBatching_LeaveRoomForTheBatchesTheMinuteStillAllows()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        using var sut = Limiter(time, requestsPerMinute: 5, batchesPerMinute: 2);
        (await sut.AcquireAsync(Realm, QboSlotKind.BatchOrRequest, Ct)).IsBatch.ShouldBeTrue();
        for (var i = 0; i < 3; i++)
        {
            (await sut.AcquireAsync(Realm, QboSlotKind.Request, Ct)).Dispose();
        }

        var single = sut.AcquireAsync(Realm, QboSlotKind.Request, Ct).AsTask();
        (await DoneAsync(single)).ShouldBeFalse("the fifth request of the minute is kept for the second batch");
        using var batch = await sut.AcquireAsync(Realm, QboSlotKind.Batch, Ct);
        batch.IsBatch.ShouldBeTrue();
    }

    [Fact]
    public async Task AcquireAsync_WithoutBatches_SingleRequestsUseTheWholeMinute()
    {
        using var sut = Limiter(new FakeTimeProvider(TestServices.Now), requestsPerMinute: 5, batchesPerMinute: 2);

        for (var i = 0; i < 5; i++)
        {
            (await sut.AcquireAsync(Realm, QboSlotKind.Request, Ct)).Dispose();
        }

        (await DoneAsync(sut.AcquireAsync(Realm, QboSlotKind.Request, Ct).AsTask())).ShouldBeFalse();
    }

    [Fact]
    public void AttemptAcquire_WhenTheMinuteIsFull_IsRefusedAtOnce_AndHoldsNoPlaceInFlight()
    {
        using var sut = new QboRateLimiter(Options.Create(new QboClientOptions { RequestsPerMinute = 1, ConcurrentRequests = 2 }), new FakeTimeProvider(TestServices.Now));
        using var first = sut.AttemptAcquire(new QboPacedRequest(Realm, QboSlotKind.Request));
        using var refused = sut.AttemptAcquire(new QboPacedRequest(Realm, QboSlotKind.Request));
        using var otherCompany = sut.AttemptAcquire(new QboPacedRequest("realm-b", QboSlotKind.Request));

        first.IsAcquired.ShouldBeTrue();
        refused.IsAcquired.ShouldBeFalse();
        otherCompany.IsAcquired.ShouldBeTrue();
        sut.GetStatistics(new QboPacedRequest(Realm, QboSlotKind.Request))!.CurrentAvailablePermits.ShouldBe(1, "the refused attempt gave its place in flight back");
    }

    [Fact]
    public async Task ReleaseUnused_ASlotNothingWasSentWith_CountsForNothing()
    {
        using var sut = Limiter(new FakeTimeProvider(TestServices.Now), requestsPerMinute: 1);
        (await sut.AcquireAsync(Realm, Ct)).ReleaseUnused();

        var next = sut.AcquireAsync(Realm, Ct).AsTask();

        (await DoneAsync(next)).ShouldBeTrue();
        (await next).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_WithATimeScale_TheMinuteIsShorter()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        using var sut = Limiter(time, requestsPerMinute: 1, timeScale: 60);
        (await sut.AcquireAsync(Realm, Ct)).Dispose();

        var next = sut.AcquireAsync(Realm, Ct).AsTask();
        time.Advance(TimeSpan.FromSeconds(1.1));

        (await DoneAsync(next)).ShouldBeTrue();
        (await next).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_BeyondRequestsPerSecond_WaitsUntilTheOldestAnswerLeavesTheSecond()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        using var sut = Limiter(time);
        for (var i = 0; i < 10; i++)
        {
            (await sut.AcquireAsync(Realm, Ct)).Dispose();
        }

        var eleventh = sut.AcquireAsync(Realm, Ct).AsTask();
        (await DoneAsync(eleventh)).ShouldBeFalse("ten requests a second");
        time.Advance(TimeSpan.FromMilliseconds(999));
        (await DoneAsync(eleventh)).ShouldBeFalse();

        time.Advance(TimeSpan.FromMilliseconds(2));
        (await DoneAsync(eleventh)).ShouldBeTrue("the waiter wakes when the oldest request leaves the second, with no slot coming back");
        (await eleventh).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_ARequestCounts_UntilASecondAfterItsAnswer()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        using var sut = Limiter(time, requestsPerSecond: 1);
        var slow = await sut.AcquireAsync(Realm, Ct);
        time.Advance(TimeSpan.FromSeconds(5));
        slow.Dispose();

        var next = sut.AcquireAsync(Realm, Ct).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(999));
        (await DoneAsync(next)).ShouldBeFalse("QuickBooks may have seen the first request as late as its answer");

        time.Advance(TimeSpan.FromMilliseconds(2));
        (await DoneAsync(next)).ShouldBeTrue();
        (await next).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_BatchRequests_CountInTheSecondToo()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        using var sut = Limiter(time, requestsPerSecond: 2);
        (await sut.AcquireAsync(Realm, QboSlotKind.Batch, Ct)).Dispose();
        (await sut.AcquireAsync(Realm, QboSlotKind.Batch, Ct)).Dispose();

        var single = sut.AcquireAsync(Realm, QboSlotKind.Request, Ct).AsTask();

        (await DoneAsync(single)).ShouldBeFalse("two batch requests filled the second");
        time.Advance(TimeSpan.FromMilliseconds(1001));
        (await DoneAsync(single)).ShouldBeTrue();
        (await single).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_WithATimeScale_TheSecondIsShorter()
    {
        var time = new FakeTimeProvider(TestServices.Now);
        using var sut = Limiter(time, requestsPerSecond: 1, timeScale: 10);
        (await sut.AcquireAsync(Realm, Ct)).Dispose();

        var next = sut.AcquireAsync(Realm, Ct).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(99));
        (await DoneAsync(next)).ShouldBeFalse();

        time.Advance(TimeSpan.FromMilliseconds(2));
        (await DoneAsync(next)).ShouldBeTrue("at TimeScale 10 Intuit's second lasts 100 ms");
        (await next).Dispose();
    }

    [Fact]
    public void AttemptAcquire_AsFastAsAllowed_StartsAtMostTenWithinAnySecond_AndOneCompanysPaceDoesNotSlowAnother()
    {
        // Intuit's defaults; every answer takes 150 ms. Company A asks for as much as it can from the start, B from 2 s on.
        var time = new FakeTimeProvider(TestServices.Now);
        using var sut = new QboRateLimiter(Options.Create(new QboClientOptions()), time);
        var starts = new Dictionary<string, List<DateTimeOffset>> { [Realm] = [], ["realm-b"] = [] };
        var answers = new List<(DateTimeOffset Due, RateLimitLease Slot)>();
        var bStartsAt = time.GetUtcNow() + TimeSpan.FromSeconds(2);
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromSeconds(4); elapsed += TimeSpan.FromMilliseconds(10))
        {
            var now = time.GetUtcNow();
            foreach (var answer in answers.Where(a => a.Due <= now).ToList())
            {
                answer.Slot.Dispose();
                answers.Remove(answer);
            }

            foreach (var realm in now < bStartsAt ? [Realm] : starts.Keys.ToArray())
            {
                while (sut.AttemptAcquire(new QboPacedRequest(realm, QboSlotKind.Request)) is { IsAcquired: true } slot)
                {
                    starts[realm].Add(now);
                    answers.Add((now + TimeSpan.FromMilliseconds(150), slot));
                }
            }

            time.Advance(TimeSpan.FromMilliseconds(10));
        }

        answers.ForEach(a => a.Slot.Dispose());
        MostStartedWithinASecond(starts[Realm]).ShouldBe(10);
        MostStartedWithinASecond(starts["realm-b"]).ShouldBe(10);
        starts[Realm].Count.ShouldBe(40, "ten every 1.15 s: a second after the 150 ms answers");
        starts["realm-b"].Take(10).ShouldAllBe(start => start == bStartsAt, "A's full second does not hold B back");
        starts["realm-b"].Count.ShouldBe(20);
    }
}

using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Backplane;

namespace Jobkore.Tests.Core.Sync.Backplane;

public sealed class SyncEventOutboxTests
{
    private static SyncEventBodies Progress(int businessId, int done) => SyncEventCodec.Encode(new SyncRunProgress(businessId, done, 10));

    private static SyncEvent?[] Events(List<SyncEventBodies> batch) =>
        [.. batch.SelectMany(e => e.Bodies).Select(body => SyncEventCodec.TryDecode(SyncEventCodec.Payload("a", 1, body), out var m) ? m!.Event : null)];

    [Fact]
    public void TakeBatch_WhatWaits_ComesOldestFirst_UpToTheBatchSize()
    {
        var sut = new SyncEventOutbox(capacity: 10);
        for (var done = 1; done <= 5; done++)
        {
            sut.Add(Progress(1, done)).ShouldBeTrue();
        }

        Events(sut.TakeBatch(maxBodies: 3)).ShouldBe([new SyncRunProgress(1, 1, 10), new SyncRunProgress(1, 2, 10), new SyncRunProgress(1, 3, 10)]);
        Events(sut.TakeBatch(maxBodies: 3)).ShouldBe([new SyncRunProgress(1, 4, 10), new SyncRunProgress(1, 5, 10)]);
        sut.TakeBatch(maxBodies: 3).ShouldBeEmpty();
    }

    [Fact]
    public void Add_PastTheCapacity_DropsTheOldest_AndTheNextBatchStartsWithAReloadOfItsBusiness()
    {
        var sut = new SyncEventOutbox(capacity: 2);

        sut.Add(Progress(1, 1));
        sut.Add(Progress(2, 1));
        sut.Add(Progress(2, 2));

        sut.Dropped.ShouldBe(1);
        Events(sut.TakeBatch(maxBodies: 10)).ShouldBe([new SyncEventsMissed(1), new SyncRunProgress(2, 1, 10), new SyncRunProgress(2, 2, 10)]);
    }

    [Fact]
    public async Task WaitAsync_OnceCompletedAndEmpty_IsFalse_AfterWhatWaitedIsTaken()
    {
        var sut = new SyncEventOutbox(capacity: 2);
        sut.Add(Progress(1, 1));
        sut.Complete();

        sut.Add(Progress(1, 2)).ShouldBeFalse();
        (await sut.WaitAsync(TestContext.Current.CancellationToken)).ShouldBeTrue();
        sut.TakeBatch(maxBodies: 10).Count.ShouldBe(1);
        (await sut.WaitAsync(TestContext.Current.CancellationToken)).ShouldBeFalse();
    }
}

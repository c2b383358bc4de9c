using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Backplane;

namespace Jobkore.Tests.Core.Sync.Backplane;

public sealed class SyncEventInboxTests
{
    private const string Own = "own";
    private const string Other = "other";

    private readonly SyncEventInbox _sut = new(Own);

    private static SyncEventMessage Message(string instance, long sequence, SyncEvent? syncEvent, int part = 0, int parts = 1, int businessId = 1) =>
        new(instance, sequence, syncEvent?.BusinessId ?? businessId, syncEvent?.GetType().Name ?? "SyncRunPaused", part, parts, syncEvent);

    private static SyncRunSending Sending(params int[] ids) => new(1, ids.ToHashSet());

    [Fact]
    public void Receive_ThisInstancesOwnEvent_DeliversNothing()
    {
        _sut.Receive(Message(Own, 1, new SyncRunProgress(1, 1, 2))).ShouldBeEmpty();
    }

    [Fact]
    public void Receive_ASequenceNumberSeenBefore_DeliversNothing_SoABatchSentAgainArrivesOnce()
    {
        _sut.Receive(Message(Other, 1, new SyncRunProgress(1, 1, 3))).ShouldBe([new SyncRunProgress(1, 1, 3)]);
        _sut.Receive(Message(Other, 2, new SyncRunProgress(1, 2, 3))).ShouldBe([new SyncRunProgress(1, 2, 3)]);

        _sut.Receive(Message(Other, 1, new SyncRunProgress(1, 1, 3))).ShouldBeEmpty();
        _sut.Receive(Message(Other, 2, new SyncRunProgress(1, 2, 3))).ShouldBeEmpty();
        _sut.Receive(Message("another", 1, new SyncRunProgress(1, 1, 3))).ShouldBe([new SyncRunProgress(1, 1, 3)]);
    }

    [Fact]
    public void Receive_ThePartsOfASplitEvent_DeliversItWholeWithItsLastPart()
    {
        _sut.Receive(Message(Other, 1, Sending(1, 2), part: 0, parts: 3)).ShouldBeEmpty();
        _sut.Receive(Message(Other, 2, Sending(3), part: 1, parts: 3)).ShouldBeEmpty();
        var whole = _sut.Receive(Message(Other, 3, Sending(4, 5), part: 2, parts: 3)).ShouldHaveSingleItem().ShouldBeOfType<SyncRunSending>();

        whole.InvoiceIds.ShouldBe([1, 2, 3, 4, 5], ignoreOrder: true);
    }

    [Fact]
    public void Receive_TheEndOfASplitEventWhoseBeginningWasLost_DeliversAReloadOfItsBusiness()
    {
        _sut.Receive(Message(Other, 1, Sending(1, 2), part: 0, parts: 3)).ShouldBeEmpty();
        _sut.Reset();

        _sut.Receive(Message(Other, 2, Sending(3), part: 1, parts: 3)).ShouldBeEmpty();
        _sut.Receive(Message(Other, 3, Sending(4), part: 2, parts: 3)).ShouldBe([new SyncEventsMissed(1)]);
    }

    [Fact]
    public void Receive_AnotherEventBeforeASplitOneIsWhole_DeliversAReloadThenThatEvent()
    {
        _sut.Receive(Message(Other, 1, Sending(1, 2), part: 0, parts: 2)).ShouldBeEmpty();

        _sut.Receive(Message(Other, 2, new SyncRunProgress(1, 1, 2))).ShouldBe([new SyncEventsMissed(1), new SyncRunProgress(1, 1, 2)]);
    }

    [Fact]
    public void Receive_AnEventTypeThisVersionDoesNotKnow_DeliversAReloadOfItsBusiness()
    {
        _sut.Receive(Message(Other, 1, null, businessId: 4)).ShouldBe([new SyncEventsMissed(4)]);
    }
}

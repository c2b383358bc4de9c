using System.Text;
using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Backplane;
using Jobkore.Core.SyncState;

namespace Jobkore.Tests.Core.Sync.Backplane;

public sealed class SyncEventCodecTests
{
    private const string Instance = "0123456789abcdef0123456789abcdef";

    /// <summary>One event of each type, every field set to something other than its default.</summary>
    private static readonly SyncEvent[] s_everyEventType =
    [
        new SyncStatusChanged(7, [
            new SyncRecordChange(SyncEntityType.Payment, 42, SyncRecordChangeKind.Edited, new SyncView(SyncStatus.Failed, "QuickBooks said “no” — ©", "118") { Differences = [new("Memo", "Jobkore's", "QuickBooks'")] }, 9),
            new SyncRecordChange(SyncEntityType.Client, 3, SyncRecordChangeKind.Removed, null),
        ], new PendingCount(12, 3, 1)),
        new SyncRunStarted(7, SyncTrigger.TransientRetry),
        new SyncRunSending(7, new HashSet<int> { 3, 1, 2_000_000_000 }),
        new SyncRunProgress(7, 12, 340),
        new SyncRunFinished(7, new SyncRunResult(SyncRunOutcome.NotConnected, new SyncSummary(5, 2, 9, 1), "Reconnect to QuickBooks: “Acme” — ©")),
        new SyncEventsMissed(7),
    ];

    private static SyncEventMessage Decode(string payload)
    {
        SyncEventCodec.TryDecode(payload, out var message).ShouldBeTrue();
        return message!;
    }

    private static void ShouldBeTheSame(SyncEvent actual, SyncEvent expected)
    {
        if (expected is SyncRunSending sending)
        {
            var received = actual.ShouldBeOfType<SyncRunSending>();
            received.BusinessId.ShouldBe(sending.BusinessId);
            received.InvoiceIds.ShouldBe(sending.InvoiceIds, ignoreOrder: true);
        }
        else if (expected is SyncStatusChanged changed)
        {
            var received = actual.ShouldBeOfType<SyncStatusChanged>();
            (received.BusinessId, received.Counts).ShouldBe((changed.BusinessId, changed.Counts));
            received.Changes.Count.ShouldBe(changed.Changes.Count);
            foreach (var (got, sent) in received.Changes.Zip(changed.Changes))
            {
                (got with { View = null }).ShouldBe(sent with { View = null });
                (got.View is null).ShouldBe(sent.View is null);
                if (sent.View is not null)
                {
                    (got.View! with { Differences = [] }).ShouldBe(sent.View with { Differences = [] });
                    got.View.Differences.ShouldBe(sent.View.Differences);
                }
            }
        }
        else
        {
            actual.ShouldBe(expected);
        }
    }

    [Fact]
    public void EncodeThenDecode_EveryEventType_GivesTheEventWithItsFields_AndWhoSentIt()
    {
        foreach (var syncEvent in s_everyEventType)
        {
            var bodies = SyncEventCodec.Encode(syncEvent);

            bodies.AsReload.ShouldBeFalse();
            var message = Decode(SyncEventCodec.Payload(Instance, 17, bodies.Bodies.ShouldHaveSingleItem()));
            message.Instance.ShouldBe(Instance);
            message.Sequence.ShouldBe(17);
            message.BusinessId.ShouldBe(7);
            message.Type.ShouldBe(syncEvent.GetType().Name);
            (message.Part, message.Parts).ShouldBe((0, 1));
            ShouldBeTheSame(message.Event!, syncEvent);
        }
    }

    [Fact]
    public void Types_AreEveryKindOfSyncEvent_SoANewOneCannotBeForgotten()
    {
        var kinds = typeof(SyncEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(SyncEvent)) && !t.IsAbstract);

        SyncEventCodec.Types.ShouldBe(kinds, ignoreOrder: true);
        s_everyEventType.Select(e => e.GetType()).ShouldBe(kinds, ignoreOrder: true);
    }

    [Fact]
    public void Encode_ASyncRunSendingTooLargeForOnePayload_SplitsItIntoPartsThatFit_AndMergeWhole()
    {
        var ids = Enumerable.Range(1_000_000_000, 5_000).ToHashSet();

        var bodies = SyncEventCodec.Encode(new SyncRunSending(3, ids));

        bodies.AsReload.ShouldBeFalse();
        bodies.Bodies.Count.ShouldBeGreaterThan(1);
        var payloads = bodies.Bodies.Select((body, n) => SyncEventCodec.Payload(Instance, long.MaxValue - 100 + n, body)).ToList();
        payloads.ShouldAllBe(p => Encoding.UTF8.GetByteCount(p) <= SyncEventCodec.MaxPayloadBytes);
        var messages = payloads.Select(Decode).ToList();
        messages.Select(m => (m.Part, m.Parts)).ShouldBe(Enumerable.Range(0, messages.Count).Select(n => (n, messages.Count)));
        var merged = SyncEventCodec.Merge([.. messages.Select(m => m.Event!)]).ShouldBeOfType<SyncRunSending>();
        merged.BusinessId.ShouldBe(3);
        merged.InvoiceIds.ShouldBe(ids, ignoreOrder: true);
    }

    [Fact]
    public void Encode_AnotherEventTooLargeForOnePayload_IsSentAsAReloadOfItsBusiness()
    {
        var finished = new SyncRunFinished(3, new SyncRunResult(SyncRunOutcome.Failed, SyncSummary.Empty, new string('é', 5_000)));

        var bodies = SyncEventCodec.Encode(finished);

        bodies.AsReload.ShouldBeTrue();
        Decode(SyncEventCodec.Payload(Instance, 1, bodies.Bodies.ShouldHaveSingleItem())).Event.ShouldBe(new SyncEventsMissed(3));
    }

    [Theory]
    [InlineData("")]
    [InlineData("reload")]
    [InlineData("{}")]
    [InlineData("""{"instance":"a","sequence":1,"message":{"type":"SyncRunProgress","businessId":2,"part":0,"parts":1,"event":{"businessId":3,"done":1,"total":2}}}""")]
    [InlineData("""{"instance":"a","sequence":1,"message":{"type":"SyncRunProgress","businessId":2,"part":1,"parts":1,"event":{"businessId":2,"done":1,"total":2}}}""")]
    public void TryDecode_APayloadNotOursOrDamaged_IsRefused(string payload)
    {
        SyncEventCodec.TryDecode(payload, out var message).ShouldBeFalse();
        message.ShouldBeNull();
    }

    [Fact]
    public void TryDecode_AnEventTypeThisVersionDoesNotKnow_GivesItsBusinessWithoutAnEvent()
    {
        var message = Decode("""{"instance":"a","sequence":4,"message":{"type":"SyncRunPaused","businessId":2,"part":0,"parts":1,"event":{"businessId":2}}}""");

        message.BusinessId.ShouldBe(2);
        message.Type.ShouldBe("SyncRunPaused");
        message.Event.ShouldBeNull();
    }
}

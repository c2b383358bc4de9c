namespace Jobkore.Core.Sync.Backplane;

/// <summary>
/// Turns what the listener hears into the events to deliver here: each other instance's events once and in its order (a
/// batch its sender sent again after an unconfirmed commit carries numbers already seen, and is skipped), this instance's
/// own skipped (its subscribers had them when they were published), the parts of a split event made whole again. An event
/// that cannot be made whole (parts lost with a connection) or whose type this version does not know becomes a
/// <see cref="SyncEventsMissed"/> of its business. Used by the listener's loop only, one message at a time.
/// </summary>
internal sealed class SyncEventInbox(string ownInstance)
{
    // One entry per instance heard since the start: a few dozen bytes for each instance start, never pruned.
    private readonly Dictionary<string, Sender> _senders = new(StringComparer.Ordinal);

    public IReadOnlyList<SyncEvent> Receive(SyncEventMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Instance == ownInstance)
        {
            return [];
        }

        if (!_senders.TryGetValue(message.Instance, out var sender))
        {
            sender = new Sender();
            _senders[message.Instance] = sender;
        }

        if (message.Sequence <= sender.LastSequence)
        {
            return [];
        }

        sender.LastSequence = message.Sequence;
        var deliver = new List<SyncEvent>(1);
        if (sender.Parts is { } waiting && (message.Part != waiting.Count || message.Type != waiting[0].GetType().Name || message.BusinessId != waiting[0].BusinessId))
        {
            deliver.Add(new SyncEventsMissed(waiting[0].BusinessId));
            sender.Parts = null;
        }

        if (message.Event is null)
        {
            deliver.Add(new SyncEventsMissed(message.BusinessId));
        }
        else if (message.Parts == 1)
        {
            deliver.Add(message.Event);
        }
        else if (message.Part == 0 || sender.Parts is not null)
        {
            (sender.Parts ??= []).Add(message.Event);
            if (sender.Parts.Count == message.Parts)
            {
                deliver.Add(SyncEventCodec.Merge(sender.Parts));
                sender.Parts = null;
            }
        }
        else if (message.Part == message.Parts - 1)
        {
            // The end of an event whose beginning was not heard: once per such event, the business reloads.
            deliver.Add(new SyncEventsMissed(message.BusinessId));
        }

        return deliver;
    }

    /// <summary>The connection was lost: parts waiting for the rest of their event will not get them.</summary>
    public void Reset()
    {
        foreach (var sender in _senders.Values)
        {
            sender.Parts = null;
        }
    }

    private sealed class Sender
    {
        public long LastSequence { get; set; }

        public List<SyncEvent>? Parts { get; set; }
    }
}

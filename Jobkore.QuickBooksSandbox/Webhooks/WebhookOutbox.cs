using System.Threading.Channels;
using Jobkore.QuickBooksSandbox.Changes;
using Microsoft.Extensions.Options;

namespace Jobkore.QuickBooksSandbox.Webhooks;

/// <summary>
/// The events waiting for a webhook POST, in the order their changes were committed, across every company (Intuit
/// mixes realms in one POST). Changes are queued only while webhooks are sent (enabled, with a URL). In memory: a
/// restart loses what was not sent yet, as it would lose Intuit's delivery anyway.
/// </summary>
internal sealed class WebhookOutbox(IOptions<QuickBooksSandboxOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Queue<WebhookEvent> _queued = new();

    // The delivery loop's trigger: one signal is enough to wake it, however many events came.
    private readonly Channel<bool> _arrived = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public bool Sends => options.Value.Webhooks is { Enabled: true, Url.Length: > 0 };

    public int QueuedCount
    {
        get
        {
            lock (_gate)
            {
                return _queued.Count;
            }
        }
    }

    /// <summary>When the oldest queued event happened; null when none is queued.</summary>
    public DateTimeOffset? OldestQueuedAt
    {
        get
        {
            lock (_gate)
            {
                return _queued.TryPeek(out var oldest) ? oldest.Change.LastUpdated : null;
            }
        }
    }

    public void Publish(string realmId, IReadOnlyList<EntityChange> changes)
    {
        if (changes.Count == 0 || !Sends)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var change in changes)
            {
                _queued.Enqueue(new WebhookEvent(Guid.NewGuid().ToString(), realmId, change));
            }
        }

        _arrived.Writer.TryWrite(true);
    }

    /// <summary>Returns once at least one event is queued.</summary>
    public async Task WaitForEventsAsync(CancellationToken cancellationToken)
    {
        while (QueuedCount == 0)
        {
            await _arrived.Reader.ReadAsync(cancellationToken);
        }
    }

    /// <summary>Takes the oldest queued events, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<WebhookEvent> Take(int max)
    {
        lock (_gate)
        {
            var taken = new List<WebhookEvent>(Math.Min(max, _queued.Count));
            while (taken.Count < max && _queued.TryDequeue(out var next))
            {
                taken.Add(next);
            }

            return taken;
        }
    }
}

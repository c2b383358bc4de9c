using System.Text.Json.Nodes;

namespace Jobkore.QuickBooksSandbox.Webhooks;

/// <summary>
/// What became of the webhook POSTs, for tests and the inspection page: the one being delivered and its attempts, the
/// last <see cref="Kept"/> delivered and dropped ones, totals, and until when the delivery loop waits (the batch window
/// or the next retry; set once its timer runs, so a test on a fake clock can move the clock to it).
/// </summary>
internal sealed class WebhookDeliveryLog
{
    public const int Kept = 100;

    private readonly Lock _gate = new();
    private readonly Queue<JsonObject> _delivered = new();
    private readonly Queue<JsonObject> _dropped = new();
    private (int Posts, int Events) _deliveredTotal;
    private (int Posts, int Events) _droppedTotal;
    private Progress? _current;
    private DateTimeOffset? _waitingUntil;

    /// <summary>The POST being delivered, kept here so the loop takes it up again after an unexpected failure.</summary>
    public WebhookPost? Current
    {
        get
        {
            lock (_gate)
            {
                return _current?.Post;
            }
        }
    }

    public void Started(WebhookPost post)
    {
        lock (_gate)
        {
            _current = new Progress(post);
        }
    }

    /// <summary>Records an attempt at the current POST; returns how many attempts it has had.</summary>
    public int Attempted(WebhookAttempt attempt, DateTimeOffset at)
    {
        lock (_gate)
        {
            var current = _current ?? throw new InvalidOperationException("No webhook POST is being delivered.");
            current.Attempts++;
            current.Last = attempt;
            current.LastAttemptAt = at;
            current.NextAttemptAt = null;
            return current.Attempts;
        }
    }

    public void Retrying(DateTimeOffset nextAttemptAt)
    {
        lock (_gate)
        {
            _current!.NextAttemptAt = nextAttemptAt;
        }
    }

    public void Delivered(DateTimeOffset at) => Finish(_delivered, ref _deliveredTotal, "deliveredAt", at);

    public void Dropped(DateTimeOffset at) => Finish(_dropped, ref _droppedTotal, "droppedAt", at);

    public void Waiting(DateTimeOffset? until)
    {
        lock (_gate)
        {
            _waitingUntil = until;
        }
    }

    public JsonObject Snapshot(int queuedEvents)
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["waitingUntil"] = _waitingUntil is { } until ? Stamp(until) : null,
                ["pending"] = new JsonObject { ["queuedEvents"] = queuedEvents, ["post"] = _current?.Describe() },
                ["delivered"] = Totals(_deliveredTotal, _delivered),
                ["dropped"] = Totals(_droppedTotal, _dropped),
            };
        }
    }

    private void Finish(Queue<JsonObject> kept, ref (int Posts, int Events) total, string outcome, DateTimeOffset at)
    {
        lock (_gate)
        {
            var current = _current ?? throw new InvalidOperationException("No webhook POST is being delivered.");
            var described = current.Describe();
            described[outcome] = Stamp(at);
            kept.Enqueue(described);
            if (kept.Count > Kept)
            {
                kept.Dequeue();
            }

            total = (total.Posts + 1, total.Events + current.Post.Events.Count);
            _current = null;
        }
    }

    /// <summary>Instants in full precision, so a test on a fake clock can move it exactly to one.</summary>
    private static string Stamp(DateTimeOffset instant) => instant.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Totals((int Posts, int Events) total, Queue<JsonObject> recent) => new()
    {
        ["posts"] = total.Posts,
        ["events"] = total.Events,
        ["recent"] = new JsonArray([.. recent.Select(p => (JsonNode)p.DeepClone())]),
    };

    private sealed class Progress(WebhookPost post)
    {
        public WebhookPost Post { get; } = post;

        public int Attempts { get; set; }

        public WebhookAttempt? Last { get; set; }

        public DateTimeOffset? LastAttemptAt { get; set; }

        public DateTimeOffset? NextAttemptAt { get; set; }

        public JsonObject Describe() => new()
        {
            ["transactionId"] = Post.TransactionId,
            ["createdAt"] = Stamp(Post.CreatedAt),
            ["events"] = Post.Events.Count,
            ["eventIds"] = new JsonArray([.. Post.Events.Select(e => (JsonNode)e.Id)]),
            ["attempts"] = Attempts,
            ["lastStatus"] = Last?.Status,
            ["lastError"] = Last?.Error,
            ["lastAttemptAt"] = LastAttemptAt is { } last ? Stamp(last) : null,
            ["nextAttemptAt"] = NextAttemptAt is { } next ? Stamp(next) : null,
        };
    }
}

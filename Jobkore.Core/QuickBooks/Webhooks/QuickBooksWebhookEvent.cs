namespace Jobkore.Core.QuickBooks.Webhooks;

/// <summary>
/// One change QuickBooks told Jobkore of by webhook (docs/quickbooks-api.md §6, §10 "Webhooks"), kept so the same event
/// delivered twice is handled once (unique per company, source and id) and so a merge names the customer merged away.
/// Webhooks carry ids only: what changed is read by change data capture. Not business-owned: it arrives for a realm.
/// </summary>
public sealed class QuickBooksWebhookEvent
{
    private QuickBooksWebhookEvent()
    {
        RealmId = Source = EventId = Entity = EntityId = Operation = string.Empty;
    }

    public QuickBooksWebhookEvent(string realmId, string source, string eventId, string entity, string entityId, string operation, string? deletedId,
        DateTimeOffset? occurredAt, DateTimeOffset receivedAt)
    {
        RealmId = realmId;
        Source = source;
        EventId = eventId;
        Entity = entity;
        EntityId = entityId;
        Operation = operation;
        DeletedId = deletedId;
        OccurredAt = occurredAt;
        ReceivedAt = receivedAt;
    }

    public long Id { get; private set; }

    public string RealmId { get; private set; }

    /// <summary>CloudEvents' <c>source</c>; "legacy" for the legacy format, whose events have no id of their own.</summary>
    public string Source { get; private set; }

    /// <summary>CloudEvents' <c>id</c>; for the legacy format, entity, id, operation and time together.</summary>
    public string EventId { get; private set; }

    /// <summary>QuickBooks' entity name: Customer, Item, Invoice, Payment…</summary>
    public string Entity { get; private set; }

    public string EntityId { get; private set; }

    /// <summary>Create, Update, Delete, Void, Merge (or Emailed).</summary>
    public string Operation { get; private set; }

    /// <summary>For a merge: the record merged away into <see cref="EntityId"/>.</summary>
    public string? DeletedId { get; private set; }

    public DateTimeOffset? OccurredAt { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>When a look at the company's changes took it into account; null until then.</summary>
    public DateTimeOffset? ProcessedAt { get; private set; }
}

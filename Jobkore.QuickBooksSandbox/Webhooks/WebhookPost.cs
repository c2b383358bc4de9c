using Jobkore.QuickBooksSandbox.Changes;

namespace Jobkore.QuickBooksSandbox.Webhooks;

/// <summary>One change as a webhook event: an id unique to this sandbox (CloudEvents' <c>id</c>) and the company it happened in.</summary>
internal sealed record WebhookEvent(string Id, string RealmId, EntityChange Change);

/// <summary>
/// One webhook POST: its events, the exact body and signature, and the <c>intuit-t-id</c> and <c>intuit-created-time</c>
/// it is sent with. A retry sends the same POST again — same body, same event ids, same headers (that Intuit keeps its
/// t-id and created time on a retry is UNCONFIRMED).
/// </summary>
internal sealed record WebhookPost(string TransactionId, DateTimeOffset CreatedAt, IReadOnlyList<WebhookEvent> Events, byte[] Body, string Signature)
{
    /// <summary>When the oldest of its events happened: the POST is dropped once that is 24 hours (scaled) ago.</summary>
    public DateTimeOffset OldestEventAt => Events.Min(e => e.Change.LastUpdated);
}

/// <summary>What one attempt to deliver a POST got: the status it was answered with, or why there was none.</summary>
internal sealed record WebhookAttempt(int? Status, string? Error)
{
    public bool Succeeded => Status == StatusCodes.Status200OK;
}

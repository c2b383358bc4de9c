using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Changes;

namespace Jobkore.QuickBooksSandbox.Webhooks;

/// <summary>The body of a webhook POST in either of Intuit's formats (docs/quickbooks-api.md §6, §10 "Webhooks").</summary>
internal static class WebhookPayload
{
    /// <summary>
    /// CloudEvents' <c>source</c>: Intuit's samples show "intuit." and an opaque value (what it encodes is UNCONFIRMED);
    /// here one derived from the app's client id, so it is stable across restarts and differs between apps.
    /// </summary>
    public static string Source(string clientId) =>
        "intuit." + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("jobkore-sandbox:" + clientId)))[..24];

    public static byte[] Build(SandboxWebhookFormat format, string source, IReadOnlyList<WebhookEvent> events)
    {
        JsonNode body = format switch
        {
            SandboxWebhookFormat.CloudEvents => CloudEvents(source, events),
            SandboxWebhookFormat.Legacy => Legacy(events),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown webhook format."),
        };
        return Encoding.UTF8.GetBytes(body.ToJsonString(Accounting.Json.Output));
    }

    /// <summary>A JSON array of CloudEvents 1.0, one per change; a merge's data carries the id merged away (UNCONFIRMED: Intuit's samples show other data).</summary>
    private static JsonArray CloudEvents(string source, IReadOnlyList<WebhookEvent> events) => new([.. events.Select(e => (JsonNode)new JsonObject
    {
        ["specversion"] = "1.0",
        ["id"] = e.Id,
        ["source"] = source,
        ["type"] = $"qbo.{e.Change.Entity.ToLowerInvariant()}.{Verb(e.Change.Operation)}.v1",
        ["datacontenttype"] = "application/json",
        ["time"] = Rfc3339(e.Change.LastUpdated),
        ["intuitentityid"] = e.Change.Id,
        ["intuitaccountid"] = e.RealmId,
        ["data"] = e.Change.DeletedId is { } deletedId ? new JsonObject { ["deletedId"] = deletedId } : new JsonObject(),
    })]);

    /// <summary>
    /// <c>{"eventNotifications":[…]}</c>, one notification per company in the order they first appear. lastUpdated is the
    /// record's MetaData.LastUpdatedTime (whole seconds), in UTC with milliseconds as in Intuit's sample.
    /// </summary>
    private static JsonObject Legacy(IReadOnlyList<WebhookEvent> events) => new()
    {
        ["eventNotifications"] = new JsonArray([.. events.GroupBy(e => e.RealmId).Select(realm => (JsonNode)new JsonObject
        {
            ["realmId"] = realm.Key,
            ["dataChangeEvent"] = new JsonObject
            {
                ["entities"] = new JsonArray([.. realm.Select(e => (JsonNode)LegacyEntity(e.Change))]),
            },
        })]),
    };

    private static JsonObject LegacyEntity(EntityChange change)
    {
        var entity = new JsonObject
        {
            ["name"] = change.Entity,
            ["id"] = change.Id,
            ["operation"] = change.Operation.ToString(),
            ["lastUpdated"] = Rfc3339(change.LastUpdated.AddTicks(-(change.LastUpdated.Ticks % TimeSpan.TicksPerSecond))),
        };
        if (change.DeletedId is { } deletedId)
        {
            entity["deletedId"] = deletedId;
        }

        return entity;
    }

    private static string Verb(ChangeOperation operation) => operation switch
    {
        ChangeOperation.Create => "created",
        ChangeOperation.Update => "updated",
        ChangeOperation.Delete => "deleted",
        ChangeOperation.Merge => "merged",
        ChangeOperation.Void => "voided",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown operation."),
    };

    /// <summary>RFC 3339 in UTC with milliseconds.</summary>
    public static string Rfc3339(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

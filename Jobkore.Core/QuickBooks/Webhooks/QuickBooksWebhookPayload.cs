using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Jobkore.Core.QuickBooks.Webhooks;

/// <summary>One change a webhook announces: the company, the record (entity name and id), what happened, and the event's identity for de-duplication.</summary>
public sealed record QuickBooksWebhookChange(string RealmId, string Source, string EventId, string Entity, string EntityId, string Operation, string? DeletedId,
    DateTimeOffset? OccurredAt);

/// <summary>
/// Reads and checks what Intuit posts to the webhook endpoint (docs/quickbooks-api.md §6, §10 "Webhooks"): the
/// <c>intuit-signature</c> (base64 HMAC-SHA256 of the exact body, keyed with the app's verifier token) and the body in
/// either format — CloudEvents (a JSON array; <c>type</c> = <c>qbo.&lt;entity&gt;.&lt;verb&gt;.v1</c>) or the legacy
/// <c>eventNotifications</c> object. Several companies' events can come in one body.
/// </summary>
public static class QuickBooksWebhookPayload
{
    /// <summary>The source a legacy event is filed under: it has no id, so its entity, id, operation and time stand for one.</summary>
    public const string LegacySource = "legacy";

    private static readonly string[] s_entities = ["Customer", "Item", "Invoice", "Payment", "Account", "Vendor", "PaymentMethod", "Estimate", "SalesReceipt", "CreditMemo"];

    /// <summary>True when <paramref name="signature"/> is the body's signature with <paramref name="verifierToken"/>, compared in constant time.</summary>
    public static bool IsSigned(ReadOnlySpan<byte> body, string? signature, string verifierToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(verifierToken);
        if (string.IsNullOrWhiteSpace(signature))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(verifierToken), body, expected);
        Span<byte> given = stackalloc byte[64];
        return Convert.TryFromBase64String(signature.Trim(), given, out var written) && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(given[..written], expected);
    }

    /// <summary>The signature Intuit would send for <paramref name="body"/> (tests and tools).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string verifierToken) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(verifierToken), body));

    /// <summary>The changes the body announces; throws <see cref="JsonException"/> when it is neither format.</summary>
    public static IReadOnlyList<QuickBooksWebhookChange> Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.ValueKind switch
        {
            JsonValueKind.Array => [.. document.RootElement.EnumerateArray().Select(CloudEvent).OfType<QuickBooksWebhookChange>()],
            JsonValueKind.Object when document.RootElement.TryGetProperty("eventNotifications", out var notifications) => Legacy(notifications),
            _ => throw new JsonException("Neither a CloudEvents array nor an eventNotifications object."),
        };
    }

    private static QuickBooksWebhookChange? CloudEvent(JsonElement e)
    {
        // type = qbo.<entity>.<created|updated|deleted|merged|voided|emailed>.v1; the verb's case is not promised.
        var type = Text(e, "type")?.Split('.');
        if (type is not ["qbo", var entity, var verb, ..] || Text(e, "intuitaccountid") is not { } realm || Text(e, "intuitentityid") is not { } id)
        {
            return null;
        }

        var deletedId = e.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? Text(data, "deletedId") ?? Text(data, "deletedid") : null;
        return new QuickBooksWebhookChange(realm, Text(e, "source") ?? "cloudevents", Text(e, "id") ?? $"{entity}:{id}:{verb}:{Text(e, "time")}",
            EntityName(entity), id, Operation(verb), deletedId, Time(Text(e, "time")));
    }

    private static List<QuickBooksWebhookChange> Legacy(JsonElement notifications)
    {
        var changes = new List<QuickBooksWebhookChange>();
        foreach (var notification in notifications.ValueKind == JsonValueKind.Array ? notifications.EnumerateArray() : default)
        {
            if (Text(notification, "realmId") is not { } realm || !notification.TryGetProperty("dataChangeEvent", out var dataChange)
                || !dataChange.TryGetProperty("entities", out var entities) || entities.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var entity in entities.EnumerateArray())
            {
                if (Text(entity, "name") is { } name && Text(entity, "id") is { } id && Text(entity, "operation") is { } operation)
                {
                    var at = Text(entity, "lastUpdated");
                    changes.Add(new QuickBooksWebhookChange(realm, LegacySource, $"{name}:{id}:{operation}:{at}", EntityName(name), id, Operation(operation),
                        Text(entity, "deletedId"), Time(at)));
                }
            }
        }

        return changes;
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString() : null;

    /// <summary>"invoice" or "Invoice" → "Invoice": QuickBooks' own spelling of the entities Jobkore knows; others as they came.</summary>
    private static string EntityName(string name) => s_entities.FirstOrDefault(e => e.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? name;

    /// <summary>"updated", "Update" → "Update"; the operations of the legacy format, whatever the verb's form.</summary>
    private static string Operation(string verb) => verb.ToLowerInvariant() switch
    {
        "created" or "create" => "Create",
        "updated" or "update" => "Update",
        "deleted" or "delete" => "Delete",
        "merged" or "merge" => "Merge",
        "voided" or "void" => "Void",
        "emailed" => "Emailed",
        var other => other.Length == 0 ? other : char.ToUpperInvariant(other[0]) + other[1..],
    };

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}

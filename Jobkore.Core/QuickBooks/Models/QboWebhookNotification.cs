using System.Text.Json.Serialization;

namespace Jobkore.Core.QuickBooks.Models;

/// <summary>The legacy webhook payload (docs/quickbooks-api.md §6; sample webhook-legacy-signed.json). Times keep QBO's "-0700" offset form, so they stay strings.</summary>
public sealed record QboWebhookNotification([property: JsonPropertyName("eventNotifications")] IReadOnlyList<QboEventNotification> EventNotifications);

public sealed record QboEventNotification(
    [property: JsonPropertyName("realmId")] string RealmId,
    [property: JsonPropertyName("dataChangeEvent")] QboDataChangeEvent DataChangeEvent);

public sealed record QboDataChangeEvent([property: JsonPropertyName("entities")] IReadOnlyList<QboChangedEntity> Entities);

public sealed record QboChangedEntity(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("operation")] string Operation,
    [property: JsonPropertyName("lastUpdated")] string? LastUpdated,
    [property: JsonPropertyName("deletedId")] string? DeletedId = null);

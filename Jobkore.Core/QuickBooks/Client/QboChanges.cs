using System.Globalization;
using System.Text.Json.Nodes;

namespace Jobkore.Core.QuickBooks.Client;

/// <summary>One record a change data capture answer holds: as QuickBooks has it now, or deleted (a stub of id and time).</summary>
public sealed record QboChange(QboEntityKind Entity, string Id, bool Deleted, DateTimeOffset? LastUpdated, JsonObject Record);

/// <summary>
/// A change data capture answer (docs/quickbooks-api.md §10; sample cdc-response.json): the records changed, every
/// field kept as JSON (a drift check compares what Jobkore owns, and a full update sends the rest back as it is), and
/// QuickBooks' time of the answer.
/// </summary>
public sealed record QboChanges(IReadOnlyList<QboChange> Changes, DateTimeOffset? Time)
{
    /// <summary>What QuickBooks returns at most in one answer; as many means there may be more after the last time received.</summary>
    public const int MaxPerAnswer = 1000;

    internal static QboChanges From(JsonObject envelope, IReadOnlyCollection<QboEntityKind> entities)
    {
        var changes = new List<QboChange>();
        foreach (var entry in envelope["CDCResponse"] as JsonArray ?? [])
        {
            foreach (var page in entry?["QueryResponse"] as JsonArray ?? [])
            {
                if (page is not JsonObject response)
                {
                    continue;
                }

                foreach (var entity in entities)
                {
                    foreach (var record in (response[entity.ToString()] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        if (record["Id"]?.GetValue<string>() is not { Length: > 0 } id)
                        {
                            continue;
                        }

                        var deleted = string.Equals(record["status"]?.GetValue<string>(), "Deleted", StringComparison.OrdinalIgnoreCase);
                        changes.Add(new QboChange(entity, id, deleted, TimeOf(record["MetaData"]?["LastUpdatedTime"]), record));
                    }
                }
            }
        }

        return new QboChanges(changes, TimeOf(envelope["time"]));
    }

    private static DateTimeOffset? TimeOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}

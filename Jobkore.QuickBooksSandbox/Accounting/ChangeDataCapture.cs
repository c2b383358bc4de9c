using System.Globalization;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Changes;

namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>
/// Change data capture, <c>GET /v3/company/{realmId}/cdc?entities=…&amp;changedSince=…</c> (docs/quickbooks-api.md §2 "Change
/// Data Capture", §10): every record of the entities asked whose MetaData.LastUpdatedTime is at or after changedSince,
/// whole — inactive name-list records too, as they are never deleted — and each invoice or payment deleted since as a
/// "Deleted" stub. Call under the company's lock.
/// </summary>
internal static class ChangeDataCapture
{
    /// <summary>At most this many objects per answer, all entities together (Intuit: 1,000; "in total, not per entity" is [3P]).</summary>
    public const int MaxObjects = 1000;

    /// <summary>
    /// The entities the sandbox keeps that change data capture covers. QBO covers more (Estimate, Bill…) that the sandbox
    /// keeps none of; naming one is refused, so a developer learns the sandbox cannot show it rather than seeing nothing.
    /// TaxCode is one QBO does not cover (docs/quickbooks-api.md §10).
    /// </summary>
    private static readonly string[] s_supported = ["Customer", "Item", "Invoice", "Payment", "Account", "Vendor", "Employee", "PaymentMethod"];

    private static readonly string[] s_timeFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];

    public static JsonObject Answer(SandboxCompany company, string? entities, string? changedSince, DateTimeOffset now)
    {
        var asked = Entities(entities);
        var since = ChangedSince(changedSince, now);
        var changes = asked.SelectMany((entity, order) => ChangesOf(company, entity, since).Select(c => c with { EntityOrder = order }))
            .OrderBy(c => c.LastUpdated).ThenBy(c => c.Id.Length).ThenBy(c => c.Id, StringComparer.Ordinal).ThenBy(c => c.EntityOrder)
            // Intuit says only "at most 1,000 objects"; which it leaves out is UNCONFIRMED. The oldest come first, so a
            // client that asks again from the last LastUpdatedTime it received misses nothing (it sees that second again).
            .Take(MaxObjects)
            .ToList();
        var responses = new JsonArray();
        foreach (var entity in asked)
        {
            responses.Add(QueryResponse(entity, changes.Where(c => c.Entity == entity).ToList()));
        }

        return new JsonObject { ["CDCResponse"] = new JsonArray(new JsonObject { ["QueryResponse"] = responses }) };
    }

    /// <summary>
    /// One entity's changes as QBO groups them: live records by last update, deleted ones last (docs/quickbooks-api.md §2);
    /// none is an empty object, as Intuit documents for a CDC with nothing changed (<c>"QueryResponse":[{}]</c>) — that
    /// each entity asked keeps its own <c>{}</c> beside others' changes is UNCONFIRMED, the sample showing only entities that changed.
    /// </summary>
    private static JsonObject QueryResponse(string entity, List<Change> changes)
    {
        if (changes.Count == 0)
        {
            return [];
        }

        var records = changes.OrderBy(c => c.Deleted).Select(c => (JsonNode)c.Payload).ToArray();
        return new JsonObject
        {
            [entity] = new JsonArray(records),
            ["startPosition"] = 1,
            ["maxResults"] = records.Length,
            ["totalCount"] = records.Length,
        };
    }

    private static IEnumerable<Change> ChangesOf(SandboxCompany company, string entity, DateTimeOffset since)
    {
        foreach (var record in company.Set(entity).Values)
        {
            if (LastUpdated(record) is { } updated && updated >= since)
            {
                yield return new Change(entity, record.Str("Id")!, updated, record.Copy(), Deleted: false);
            }
        }

        foreach (var tombstone in company.Tombstones.Of(entity, since))
        {
            yield return new Change(entity, tombstone.Id, tombstone.DeletedAt, new JsonObject
            {
                ["status"] = "Deleted",
                ["domain"] = "QBO",
                ["Id"] = tombstone.Id,
                ["MetaData"] = new JsonObject { ["LastUpdatedTime"] = Json.MetaTime(tombstone.DeletedAt) },
            }, Deleted: true);
        }
    }

    private static DateTimeOffset? LastUpdated(JsonObject record) =>
        (record["MetaData"] as JsonObject)?.Str("LastUpdatedTime") is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;

    private static List<string> Entities(string? entities)
    {
        var names = (entities ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw Faults.RequiredMissing("entities");
        }

        var asked = new List<string>();
        foreach (var name in names)
        {
            var entity = s_supported.FirstOrDefault(s => s.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw Invalid("entities", $"Change data capture is not supported for entity {name}. Name one or more of {string.Join(", ", s_supported)}, separated by commas.");
            if (!asked.Contains(entity))
            {
                asked.Add(entity);
            }
        }

        return asked;
    }

    /// <summary>
    /// changedSince as an ISO 8601 date-time with an offset (what Intuit's SDK sends: <c>yyyy-MM-ddTHH:mm:ssZ</c>). How QBO
    /// reads one without an offset (the company's time zone?) is UNCONFIRMED, so the sandbox refuses it rather than guess.
    /// </summary>
    private static DateTimeOffset ChangedSince(string? changedSince, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(changedSince))
        {
            throw Faults.RequiredMissing("changedSince");
        }

        var hasOffset = changedSince.EndsWith('Z') || changedSince.EndsWith('z') || (changedSince.Length > 6 && changedSince[^6] is '+' or '-');
        if (!hasOffset || !DateTimeOffset.TryParseExact(changedSince, s_timeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var since))
        {
            throw Invalid("changedSince", $"changedSince {changedSince} is not an ISO 8601 date-time with an offset; send one like 2026-11-24T21:00:00Z or 2026-11-24T13:00:00-08:00.");
        }

        if (since < now - Tombstones.KeptFor)
        {
            // Intuit's wording ([3P] QuickBooksSharp #19); its code is UNCONFIRMED. 500 is the code of QBO's other
            // "Operation … is not supported" answers (docs/quickbooks-api.md §4).
            throw Faults.Unsupported($"Operation cdc with changedSince date {changedSince} which is older than fixed days is not supported.");
        }

        return since;
    }

    /// <summary>
    /// A parameter change data capture cannot read. The code is UNCONFIRMED: 2010, the old IPP code for a request with an
    /// invalid or unsupported property (docs/quickbooks-api.md §4 code ranges: 2000–4999 validation).
    /// </summary>
    private static FaultException Invalid(string element, string detail) =>
        Faults.Validation("2010", "Request has invalid or unsupported property", detail, element);

    private sealed record Change(string Entity, string Id, DateTimeOffset LastUpdated, JsonObject Payload, bool Deleted)
    {
        public int EntityOrder { get; init; }
    }
}

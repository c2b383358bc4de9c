using System.Text.Json.Nodes;

namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>
/// A sparse update as conservative as QuickBooks: Intuit support says sparse cannot be relied on to remove a value —
/// <c>ClassRef: null</c> and <c>{"value":""}</c> removed nothing (docs/quickbooks-api.md §10 "Clearing a field", QuickBooks-V3-DotNET-SDK
/// issue #113); DisplayName and PrintOnCheckName cannot be removed by sparse update (docs/quickbooks-api.md §2). So a property sent as
/// JSON null, as an empty string or as a reference with an empty <c>value</c> is ignored; a nested object merges into
/// the stored one property by property by the same rule; an array (<c>Line</c>) replaces the stored array whole.
/// </summary>
internal static class SparseUpdate
{
    /// <summary>Never taken from the body: identity, concurrency and what QBO keeps itself.</summary>
    private static readonly string[] s_notMerged = ["Id", "SyncToken", "sparse", "MetaData", "domain"];

    /// <summary>The record a sparse update of <paramref name="stored"/> with <paramref name="sent"/> would store.</summary>
    public static JsonObject Apply(JsonObject stored, JsonObject sent)
    {
        var record = stored.Copy();
        foreach (var (key, value) in sent.Where(p => !s_notMerged.Contains(p.Key)))
        {
            Merge(record, key, value);
        }

        return record;
    }

    private static void Merge(JsonObject target, string key, JsonNode? sent)
    {
        switch (sent)
        {
            case null:
                return;
            case JsonValue when IsEmpty(sent):
                return;
            case JsonObject reference when reference.ContainsKey("value"):
                // A reference ({value, name}) or a memo ({value}) is one value: sent whole, unless its value is empty.
                if (!IsEmpty(reference["value"]))
                {
                    target[key] = reference.DeepClone();
                }

                return;
            case JsonObject nested:
                var into = target[key] as JsonObject;
                var added = into is null;
                into ??= [];
                foreach (var (childKey, childValue) in nested)
                {
                    Merge(into, childKey, childValue);
                }

                if (added && into.Count > 0)
                {
                    target[key] = into;
                }

                return;
            default:
                target[key] = sent.DeepClone(); // arrays, numbers, booleans, non-empty strings
                return;
        }
    }

    private static bool IsEmpty(JsonNode? node) => node is null || (node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length == 0);
}

using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting;

namespace Jobkore.QuickBooksSandbox.Records;

/// <summary>
/// One entity's records of a company by id. Read it anywhere; write it only through <see cref="SandboxCompany"/>
/// (Put, Restore, Remove), whose <see cref="Put"/> and <see cref="Remove"/> here keep the entity's indexes
/// (<see cref="RecordIndexes"/>), so an index cannot disagree with the records. Records are changed in place only in
/// fields no index files them by (balances, links, SyncToken).
/// </summary>
internal sealed class RecordSet : IReadOnlyDictionary<string, JsonObject>
{
    private readonly Dictionary<string, JsonObject> _records = new(StringComparer.Ordinal);
    private readonly RecordIndex[] _indexes;

    public RecordSet(string entity)
    {
        Entity = entity;
        _indexes = RecordIndexes.For(entity);
    }

    public string Entity { get; }

    public int Count => _records.Count;

    public IEnumerable<string> Keys => _records.Keys;

    public IEnumerable<JsonObject> Values => _records.Values;

    public JsonObject this[string key] => _records[key];

    public bool ContainsKey(string key) => _records.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out JsonObject value) => _records.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, JsonObject>> GetEnumerator() => _records.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The records whose indexed <paramref name="field"/> is <paramref name="value"/> (by the index's comparison).</summary>
    public IEnumerable<JsonObject> With(string field, string value) => Index(field).Find(value).Select(id => _records[id]);

    /// <summary>
    /// The records whose <paramref name="field"/> may equal one of <paramref name="values"/> as a query compares them
    /// (text ignoring case); null when the field has no index, and every record must be read.
    /// </summary>
    public IEnumerable<JsonObject>? Matching(string field, IEnumerable<string> values) =>
        _indexes.FirstOrDefault(i => i.Field.Equals(field, StringComparison.OrdinalIgnoreCase)) is { } index
            ? values.SelectMany(index.Candidates).Distinct(StringComparer.Ordinal).Select(id => _records[id])
            : null;

    /// <summary>True when a record other than <paramref name="exceptId"/> has <paramref name="value"/> in the indexed field.</summary>
    public bool Used(string field, string value, string? exceptId) => Index(field).Find(value).Any(id => id != exceptId);

    internal void Put(JsonObject record)
    {
        var id = record.Str("Id")!;
        foreach (var index in _indexes)
        {
            index.Remove(id);
            index.Add(id, record);
        }

        _records[id] = record;
    }

    internal void Remove(string id)
    {
        foreach (var index in _indexes)
        {
            index.Remove(id);
        }

        _records.Remove(id);
    }

    private RecordIndex Index(string field) =>
        _indexes.FirstOrDefault(i => i.Field == field) ?? throw new InvalidOperationException($"{Entity} has no index on {field}.");
}

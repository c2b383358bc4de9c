using System.Text.Json.Nodes;

namespace Jobkore.QuickBooksSandbox.Records;

/// <summary>
/// Record ids by one field's value, kept by the set's writes (<see cref="RecordSet"/>), never rebuilt: it remembers the
/// key each record was filed under, so a write that changes or removes the field takes the record out of its old key.
/// Keys are filed ignoring case, as a query compares text, so one index answers both: <see cref="Find"/> by the
/// field's own comparison (a DocNumber is unique as written), <see cref="Candidates"/> for a query.
/// </summary>
internal sealed class RecordIndex(string field, Func<JsonObject, string?> key, StringComparer comparer)
{
    private readonly Dictionary<string, HashSet<string>> _ids = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);

    public string Field { get; } = field;

    /// <summary>The ids of the records whose field is <paramref name="value"/> by the field's comparison; empty when none is.</summary>
    public IReadOnlyCollection<string> Find(string value) =>
        !_ids.TryGetValue(value, out var ids) ? []
        : comparer == StringComparer.OrdinalIgnoreCase ? ids
        : [.. ids.Where(id => comparer.Equals(_keys[id], value))];

    /// <summary>The ids of the records whose field is <paramref name="value"/> as a query compares it (ignoring case).</summary>
    public IReadOnlyCollection<string> Candidates(string value) => _ids.TryGetValue(value, out var ids) ? ids : [];

    public void Add(string id, JsonObject record)
    {
        if (key(record) is not { } value)
        {
            return;
        }

        _keys[id] = value;
        if (!_ids.TryGetValue(value, out var ids))
        {
            _ids[value] = ids = new HashSet<string>(StringComparer.Ordinal);
        }

        ids.Add(id);
    }

    public void Remove(string id)
    {
        if (_keys.Remove(id, out var value) && _ids.TryGetValue(value, out var ids) && ids.Remove(id) && ids.Count == 0)
        {
            _ids.Remove(value);
        }
    }
}

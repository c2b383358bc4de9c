using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jobkore.Core.SyncState;

namespace Jobkore.Core.Sync.Projection;

/// <summary>
/// The fields Jobkore owns in one QuickBooks record, as QuickBooks holds them (<see cref="QboOwnedFields.Values"/>), in
/// the owned fields' order: what Jobkore records after each write, so a later version of the record can be told apart
/// from Jobkore's own (docs/design.md §11). Values are text, null for no value.
/// </summary>
public sealed class QboOwnedValues
{
    private readonly IReadOnlyList<KeyValuePair<string, string?>> _values;

    public QboOwnedValues(IReadOnlyList<KeyValuePair<string, string?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values;
        var text = new StringBuilder();
        foreach (var (field, value) in values)
        {
            // Unit and record separators, and a marker for null, so no two different sets of values run together alike.
            text.Append(field).Append('\u001f').Append(value ?? "\u0000").Append('\u001e');
        }

        Hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public string Hash { get; }

    public string? this[string field] => _values.FirstOrDefault(v => v.Key == field).Value;

    /// <summary>These values with <paramref name="field"/> holding <paramref name="value"/>.</summary>
    public QboOwnedValues With(string field, string? value) =>
        new([.. _values.Select(v => v.Key == field ? new KeyValuePair<string, string?>(field, value) : v)]);

    /// <summary>The fields whose value in <paramref name="now"/> differs from this one's: field, this value (what Jobkore sent), <paramref name="now"/>'s value.</summary>
    public IReadOnlyList<QboDifference> DifferencesTo(QboOwnedValues now)
    {
        ArgumentNullException.ThrowIfNull(now);
        return [.. now._values.Where(v => !string.Equals(this[v.Key], v.Value, StringComparison.Ordinal)).Select(v => new QboDifference(v.Key, this[v.Key], v.Value))];
    }

    public string ToJson() => JsonSerializer.Serialize(_values.ToDictionary(v => v.Key, v => v.Value));

    /// <summary>What a sync record keeps of them.</summary>
    public QboSnapshot ToSnapshot() => new(ToJson(), Hash);

    /// <summary>Values saved by <see cref="ToJson()"/>; null when there are none.</summary>
    public static QboOwnedValues? FromJson(string? json) =>
        json is null ? null : new QboOwnedValues([.. (JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? []).Select(p => p)]);

    public static string DifferencesToJson(IReadOnlyList<QboDifference> differences) => JsonSerializer.Serialize(differences);

    public static IReadOnlyList<QboDifference> DifferencesFromJson(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<QboDifference>>(json) ?? [];
}

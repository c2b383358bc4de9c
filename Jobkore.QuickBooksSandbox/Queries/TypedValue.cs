using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobkore.QuickBooksSandbox.Queries;

/// <summary>
/// QBO compares by the field's type, and the record's JSON value says what that is: a JSON number (TotalAmt, Balance,
/// UnitPrice…) compares numerically with the literal, quoted or not (Intuit's own example is <c>TotalAmt &gt; '1000.0'</c>);
/// a JSON string (DocNumber, names, Id, dates such as TxnDate, a reference's value) compares as text, ignoring case
/// as QBO does, so <c>DocNumber = '1001'</c> is not <c>01001</c>; a JSON boolean compares with true/false.
/// A missing field or a literal of another type matches nothing.
/// </summary>
internal sealed class TypedValue : IComparer<JsonValue?>
{
    public static readonly TypedValue Order = new();

    /// <summary>The field's JSON value: a reference compares by its id (<c>value</c>), an email by its address.</summary>
    public static JsonValue? Of(JsonObject record, string field)
    {
        JsonNode? node = record;
        foreach (var part in field.Split('.'))
        {
            node = node is JsonObject obj ? obj.FirstOrDefault(p => p.Key.Equals(part, StringComparison.OrdinalIgnoreCase)).Value : null;
        }

        return node switch
        {
            JsonObject o when o["value"] is JsonValue id => id,
            JsonObject o when o["Address"] is JsonValue address => address,
            JsonValue v => v,
            _ => null,
        };
    }

    /// <summary>The record's value against a query literal; null when they cannot be compared.</summary>
    public static int? Compare(JsonValue? actual, string literal) => actual?.GetValueKind() switch
    {
        JsonValueKind.Number => Number(actual.ToJsonString()) is { } value && Number(literal) is { } number ? value.CompareTo(number) : null,
        JsonValueKind.String => string.Compare(actual.TryGetValue<string>(out var text) ? text : actual.ToString(), literal, StringComparison.OrdinalIgnoreCase),
        JsonValueKind.True or JsonValueKind.False => bool.TryParse(literal, out var flag) ? (actual.GetValueKind() == JsonValueKind.True).CompareTo(flag) : null,
        _ => null,
    };

    private static decimal? Number(string text) => decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>ORDERBY: two records' values by the same rule; missing values first, then by JSON type.</summary>
    public int Compare(JsonValue? x, JsonValue? y)
    {
        var (xKind, yKind) = (x?.GetValueKind() ?? JsonValueKind.Undefined, y?.GetValueKind() ?? JsonValueKind.Undefined);
        var sameKind = xKind == yKind || (xKind is JsonValueKind.True or JsonValueKind.False && yKind is JsonValueKind.True or JsonValueKind.False);
        return sameKind && x is not null && y is not null ? Compare(x, y.ToString()) ?? 0 : xKind.CompareTo(yKind);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>The dates of a record as QBO writes them (yyyy-MM-dd).</summary>
internal static class Dates
{
    public const string Format = "yyyy-MM-dd";

    public static string Text(DateOnly date) => date.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>
    /// The date in <paramref name="record"/>'s property <paramref name="name"/>, or null when it is absent, null or ""
    /// (an empty one is removed: QBO treats it as not sent). Any other value is a 2010 fault naming <paramref name="element"/>.
    /// </summary>
    public static DateOnly? Read(JsonObject record, string name, string element)
    {
        var node = record[name];
        if (node is null || (node is JsonValue empty && empty.TryGetValue<string>(out var text) && text.Length == 0))
        {
            record.Remove(name);
            return null;
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var sent)
            && DateOnly.TryParseExact(sent, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        // The code and wording are UNCONFIRMED: 2010 is QBO's code for a property it cannot read (docs/quickbooks-api.md §4).
        throw Faults.Validation("2010", "Request has invalid or unsupported property",
            $"Property Name:{element} specified is unsupported or invalid: {node.ToJsonString()} is not a date (yyyy-MM-dd).", element);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>Small helpers over QBO-shaped JSON: read values, format QBO's times and amounts.</summary>
internal static class Json
{
    /// <summary>QBO writes apostrophes and '+' as they are, not as \u0027 and \u002B.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Output = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? Str(this JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : obj[name] is JsonValue n ? n.ToJsonString() : null;

    public static decimal? Dec(this JsonObject obj, string name) => obj[name] switch
    {
        JsonValue v when v.TryGetValue<decimal>(out var d) => d,
        JsonValue v when v.TryGetValue<double>(out var f) => (decimal)f,
        JsonValue v when v.TryGetValue<string>(out var s) && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var p) => p,
        _ => null,
    };

    public static bool? Bool(this JsonObject obj, string name) => obj[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static string? RefValue(this JsonObject obj, string name) => (obj[name] as JsonObject)?.Str("value");

    public static JsonObject Ref(string value, string? name) => name is null ? new JsonObject { ["value"] = value } : new JsonObject { ["value"] = value, ["name"] = name };

    /// <summary>
    /// Removes every null-valued property, nested ones too: QBO returns only the properties with values, so a full
    /// update that sends <c>"Memo": null</c> stores (and answers) the record without Memo, as if it had left it out.
    /// </summary>
    public static void RemoveNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, value) in obj)
                {
                    RemoveNulls(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RemoveNulls(item);
                }

                break;
        }
    }

    public static JsonObject Copy(this JsonObject obj) => (JsonObject)obj.DeepClone();

    public static string Time(DateTimeOffset instant) => instant.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>MetaData times have seconds and an offset, as QBO writes them.</summary>
    public static string MetaTime(DateTimeOffset instant) => instant.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    public static decimal Cents(decimal amount) => decimal.Round(amount, 2, MidpointRounding.AwayFromZero);
}

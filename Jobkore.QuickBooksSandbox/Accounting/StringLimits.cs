using System.Text.Json.Nodes;

namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>
/// QBO's string lengths (docs/quickbooks-api.md §5), checked on the record a create or update would store and refused as QBO refuses
/// them: 400, ValidationFault 2050 "Invalid String Length", element = the field's path. A path is property names
/// joined by '.'; an array on the way (an invoice's Line) means each of its elements. DisplayName keeps its own check
/// (≤ 500, no ':' tab or newline) in <see cref="Entities.CustomerRules"/>.
/// </summary>
internal static class StringLimits
{
    private static readonly Dictionary<string, (string Path, int Max)[]> s_limits = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Customer"] =
        [
            ("CompanyName", 100), ("GivenName", 100), ("MiddleName", 100), ("FamilyName", 100), ("Title", 16), ("Suffix", 16),
            ("PrintOnCheckName", 110), ("Notes", 2000), ("PrimaryEmailAddr.Address", 100), ("WebAddr.URI", 1000),
            ("PrimaryPhone.FreeFormNumber", 30), ("Mobile.FreeFormNumber", 30), ("Fax.FreeFormNumber", 30), ("AlternatePhone.FreeFormNumber", 30),
            .. Address("BillAddr"), .. Address("ShipAddr"),
        ],
        ["Item"] = [("Name", 100), ("Description", 4000), ("PurchaseDesc", 1000), ("Sku", 100)],
        ["Invoice"] = [("DocNumber", 21), ("CustomerMemo.value", 1000), ("PrivateNote", 4000), ("Line.Description", 4000)],
        ["Payment"] = [("PaymentRefNum", 21), ("PrivateNote", 4000)],
        ["Account"] = [("Name", 100), ("Description", 100)],
    };

    /// <summary>Throws QBO's 2050 for the first string of <paramref name="record"/> longer than its limit.</summary>
    public static void Check(string entity, JsonObject record)
    {
        foreach (var (path, max) in s_limits.GetValueOrDefault(entity, []))
        {
            if (Strings(record, path.Split('.'), 0).FirstOrDefault(s => s.Length > max) is { } tooLong)
            {
                throw Faults.InvalidStringLength(path, max, tooLong.Length);
            }
        }
    }

    /// <summary>The limit of one field, for a value the sandbox fills in itself.</summary>
    public static int Max(string entity, string path) => s_limits[entity].Single(l => l.Path == path).Max;

    private static (string Path, int Max)[] Address(string name) =>
    [
        .. Enumerable.Range(1, 5).Select(i => ($"{name}.Line{i}", 500)),
        ($"{name}.City", 255), ($"{name}.Country", 255), ($"{name}.CountrySubDivisionCode", 255), ($"{name}.PostalCode", 30),
    ];

    private static IEnumerable<string> Strings(JsonNode? node, string[] path, int depth) => node switch
    {
        JsonArray array => array.SelectMany(element => Strings(element, path, depth)),
        JsonObject obj when depth < path.Length => Strings(obj[path[depth]], path, depth + 1),
        JsonValue value when depth == path.Length && value.TryGetValue<string>(out var text) => [text],
        _ => [],
    };
}

using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting;

namespace Jobkore.QuickBooksSandbox.Records;

/// <summary>
/// The fields each entity's records are looked up by, instead of scanning them: what a write must find unique
/// (names, DocNumber) and an invoice's customer (a customer's balance), and what queries look records up by. Names
/// compare ignoring case, as QBO does; a DocNumber is unique as written.
/// </summary>
internal static class RecordIndexes
{
    public const string DisplayName = "DisplayName";
    public const string Name = "Name";
    public const string DocNumber = "DocNumber";
    public const string CustomerRef = "CustomerRef";

    public static RecordIndex[] For(string entity) => entity.ToUpperInvariant() switch
    {
        "CUSTOMER" or "VENDOR" or "EMPLOYEE" => [ByText(DisplayName, StringComparer.OrdinalIgnoreCase)],
        "ITEM" or "ACCOUNT" => [ByText(Name, StringComparer.OrdinalIgnoreCase)],
        "INVOICE" => [new RecordIndex(CustomerRef, r => r.RefValue(CustomerRef), StringComparer.Ordinal), ByText(DocNumber, StringComparer.Ordinal)],
        _ => [],
    };

    private static RecordIndex ByText(string field, StringComparer comparer) => new(field, (JsonObject r) => r.Str(field), comparer);
}

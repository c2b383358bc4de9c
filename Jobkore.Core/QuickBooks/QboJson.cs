using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobkore.Core.QuickBooks;

/// <summary>How QBO JSON is read and written: QBO's own PascalCase names, nulls left out of requests.</summary>
public static class QboJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        // Case-insensitive so the gateway's lower-case fault envelope reads into the same types (docs/quickbooks-api.md §4).
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}

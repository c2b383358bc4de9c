using System.Text.Json.Serialization;

namespace Jobkore.Core.QuickBooks.Models;

/// <summary>
/// Change data capture (docs/quickbooks-api.md §2 "Change Data Capture"): one query page per entity type that changed; deleted records appear with
/// only Id, status "Deleted" and MetaData.
/// </summary>
public sealed record QboCdcResponse(
    [property: JsonPropertyName("CDCResponse")] IReadOnlyList<QboCdcEntry> CdcResponse,
    [property: JsonPropertyName("time")] DateTimeOffset? Time);

public sealed record QboCdcEntry(IReadOnlyList<QboQueryResponse> QueryResponse);

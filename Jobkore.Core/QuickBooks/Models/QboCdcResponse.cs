using System.Text.Json.Serialization;

namespace Jobkore.Core.QuickBooks.Models;

/// <summary>Change data capture (facts §2 "CDC"): one QueryResponse per entity type that changed.</summary>
public sealed record QboCdcResponse(
    [property: JsonPropertyName("CDCResponse")] IReadOnlyList<QboCdcEntry> CdcResponse,
    [property: JsonPropertyName("time")] DateTimeOffset? Time);

public sealed record QboCdcEntry(IReadOnlyList<QboCdcQueryResponse> QueryResponse);

/// <summary>Like a query page; deleted records appear with only Id, status "Deleted" and MetaData.</summary>
public sealed record QboCdcQueryResponse
{
    public IReadOnlyList<QboCustomer>? Customer { get; init; }

    public IReadOnlyList<QboInvoice>? Estimate { get; init; }

    public IReadOnlyList<QboInvoice>? Invoice { get; init; }

    public IReadOnlyList<QboPayment>? Payment { get; init; }

    public IReadOnlyList<QboItem>? Item { get; init; }

    [JsonPropertyName("startPosition")]
    public int? StartPosition { get; init; }

    [JsonPropertyName("maxResults")]
    public int? MaxResults { get; init; }

    [JsonPropertyName("totalCount")]
    public int? TotalCount { get; init; }
}

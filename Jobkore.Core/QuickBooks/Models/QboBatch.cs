using System.Text.Json.Serialization;

namespace Jobkore.Core.QuickBooks.Models;

/// <summary>Up to 30 independent operations in one call (docs/quickbooks-api.md §2 "Batch").</summary>
public sealed record QboBatchRequest(IReadOnlyList<QboBatchItemRequest> BatchItemRequest)
{
    public const int MaxItems = 30;
}

/// <summary>
/// One batch item: <c>bId</c>, an operation (create, update, delete) with one entity, or a Query.
/// <c>optionsData</c> carries "void" or include-style options such as "allowduplicatedocnum".
/// </summary>
public sealed record QboBatchItemRequest : QboEntities
{
    [JsonPropertyName("bId")]
    public required string BId { get; init; }

    [JsonPropertyName("operation")]
    public string? Operation { get; init; }

    [JsonPropertyName("optionsData")]
    public string? OptionsData { get; init; }

    public string? Query { get; init; }
}

public sealed record QboBatchResponse(IReadOnlyList<QboBatchItemResponse> BatchItemResponse, [property: JsonPropertyName("time")] DateTimeOffset? Time)
{
    /// <summary>The <c>intuit_tid</c> header of the whole batch answer: what an item's fault is logged and kept with.</summary>
    [JsonIgnore]
    public string? IntuitTid { get; init; }
}

/// <summary>One batch item's result: an entity, a QueryResponse or its own Fault (which never fails the whole call).</summary>
public sealed record QboBatchItemResponse : QboEntities
{
    [JsonPropertyName("bId")]
    public string? BId { get; init; }

    public QboFault? Fault { get; init; }

    public QboQueryResponse? QueryResponse { get; init; }
}

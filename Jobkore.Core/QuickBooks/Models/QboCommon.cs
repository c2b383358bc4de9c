using System.Text.Json.Serialization;

namespace Jobkore.Core.QuickBooks.Models;

// Small value shapes shared by QBO entities (docs/quickbooks-api.md §5 "Common"). Property names are QBO's own.

/// <summary>A reference to another entity: <c>{"value":"&lt;Id&gt;","name":"&lt;display&gt;"}</c>; name is optional on input.</summary>
public sealed record QboRef([property: JsonPropertyName("value")] string Value, [property: JsonPropertyName("name")] string? Name = null);

public sealed record QboMetaData(DateTimeOffset? CreateTime, DateTimeOffset? LastUpdatedTime);

public sealed record QboEmail(string? Address);

public sealed record QboPhone(string? FreeFormNumber);

public sealed record QboMemo([property: JsonPropertyName("value")] string? Value);

public sealed record QboNameValue(string? Name, string? Value);

public sealed record QboLinkedTxn(string TxnId, string TxnType);

/// <summary>An address; Lat/Long are strings because QBO sends "INVALID" for addresses it cannot geocode.</summary>
public sealed record QboAddress
{
    public string? Id { get; init; }

    public string? Line1 { get; init; }

    public string? Line2 { get; init; }

    public string? Line3 { get; init; }

    public string? Line4 { get; init; }

    public string? Line5 { get; init; }

    public string? City { get; init; }

    public string? CountrySubDivisionCode { get; init; }

    public string? PostalCode { get; init; }

    public string? Country { get; init; }

    [JsonPropertyName("Lat")]
    public string? Latitude { get; init; }

    [JsonPropertyName("Long")]
    public string? Longitude { get; init; }
}

/// <summary>Fields every QBO entity carries: Id and SyncToken as strings, MetaData, domain and sparse (docs/quickbooks-api.md §2).</summary>
public abstract record QboEntity
{
    public string? Id { get; init; }

    public string? SyncToken { get; init; }

    public QboMetaData? MetaData { get; init; }

    [JsonPropertyName("domain")]
    public string? Domain { get; init; }

    /// <summary>True on a sparse update: only the fields sent change (docs/quickbooks-api.md §2 "Updates").</summary>
    [JsonPropertyName("sparse")]
    public bool? Sparse { get; init; }

    /// <summary>"Deleted" on a delete response and on deleted CDC entries.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }
}

using System.Text.Json.Serialization;

namespace Jobkore.Core.QuickBooks.Models;

/// <summary><c>{"QueryResponse":{…},"time":…}</c>.</summary>
public sealed record QboQueryEnvelope(QboQueryResponse? QueryResponse, QboFault? Fault, [property: JsonPropertyName("time")] DateTimeOffset? Time);

/// <summary>
/// One page of a query (docs/quickbooks-api.md §2 "Query language"): the entity list under its own name, absent when nothing
/// matched (<c>"QueryResponse":{}</c>); <see cref="MaxResults"/> is the number returned, not the number asked for.
/// </summary>
public sealed record QboQueryResponse
{
    public IReadOnlyList<QboCustomer>? Customer { get; init; }

    public IReadOnlyList<QboItem>? Item { get; init; }

    public IReadOnlyList<QboInvoice>? Invoice { get; init; }

    public IReadOnlyList<QboPayment>? Payment { get; init; }

    public IReadOnlyList<QboAccount>? Account { get; init; }

    public IReadOnlyList<QboCompanyInfo>? CompanyInfo { get; init; }

    public IReadOnlyList<QboPaymentMethod>? PaymentMethod { get; init; }

    /// <summary>Sales receipts and estimates share the invoice's shape; read so batch and CDC results are not silently empty.</summary>
    public IReadOnlyList<QboInvoice>? SalesReceipt { get; init; }

    public IReadOnlyList<QboInvoice>? Estimate { get; init; }

    [JsonPropertyName("startPosition")]
    public int? StartPosition { get; init; }

    [JsonPropertyName("maxResults")]
    public int? MaxResults { get; init; }

    /// <summary>Set by <c>SELECT count(*)</c> and by CDC.</summary>
    [JsonPropertyName("totalCount")]
    public int? TotalCount { get; init; }
}

using System.Text.Json.Serialization;

namespace Jobkore.Core.QuickBooks.Models;

/// <summary>
/// A QBO fault (docs/quickbooks-api.md §4): <c>{"Fault":{"Error":[…],"type":"ValidationFault"}}</c> from the data API, or the gateway's
/// lower-case <c>{"fault":{"error":[…],"type":"AUTHENTICATION"}}</c>; read case-insensitively so one shape covers both.
/// </summary>
public sealed record QboFault(IReadOnlyList<QboError>? Error, [property: JsonPropertyName("type")] string? Type);

/// <summary>One error of a fault; <c>code</c> is a number as a string, <c>element</c> names the field or is empty.</summary>
public sealed record QboError(
    string? Message,
    string? Detail,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("element")] string? Element);

/// <summary>Any body that may hold a fault, in either envelope.</summary>
public sealed record QboFaultEnvelope(QboFault? Fault);

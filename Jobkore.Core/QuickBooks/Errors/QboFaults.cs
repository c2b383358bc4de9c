using System.Text.Json;
using Jobkore.Core.QuickBooks.Models;

namespace Jobkore.Core.QuickBooks.Errors;

/// <summary>The one place that turns what QBO answered into a <see cref="QuickBooksError"/> (docs/quickbooks-api.md §3, §4).</summary>
public static class QboFaults
{
    /// <summary>
    /// Reads a failed response: either fault envelope (data API or lower-case gateway), or a body that is not JSON
    /// at all (old throttling faults came as XML). HTTP status decides first for 401/403/429/5xx; the code decides the rest.
    /// </summary>
    public static QuickBooksError FromResponse(int httpStatus, string? body, string? intuitTid)
    {
        var fault = TryReadFault(body);
        return FromFault(httpStatus, fault, intuitTid);
    }

    /// <summary>Maps a fault found inside a 200 response or a batch item.</summary>
    public static QuickBooksError FromFault(int httpStatus, QboFault? fault, string? intuitTid)
    {
        var first = fault?.Error is { Count: > 0 } errors ? errors[0] : null;
        var code = first?.Code;
        var kind = Classify(httpStatus, code, fault?.Type);
        var message = first?.Message is { Length: > 0 } m ? m : DefaultMessage(kind, httpStatus);
        if (kind == QuickBooksErrorKind.Stale && message.Contains("Account Period Closed", StringComparison.OrdinalIgnoreCase))
        {
            // Closed books reported under 5010 (QuickBooksError.IsPeriodClosed): reading again and resending cannot help.
            kind = QuickBooksErrorKind.Validation;
        }

        return new QuickBooksError(kind, httpStatus, code, string.IsNullOrEmpty(first?.Element) ? null : first.Element, message, first?.Detail, intuitTid);
    }

    private static QuickBooksErrorKind Classify(int httpStatus, string? code, string? faultType) =>
        (httpStatus, code) switch
        {
            (429, _) or (_, "3001") => QuickBooksErrorKind.Throttled,
            (401, _) or (_, "3200") or (_, "100") => QuickBooksErrorKind.Unauthorized,
            (403, _) or (_, "3100") or (_, "120") => QuickBooksErrorKind.Forbidden,
            (>= 500, _) or (_, "10000") => QuickBooksErrorKind.Transient,
            (_, "5010") => QuickBooksErrorKind.Stale,
            (_, "610") => QuickBooksErrorKind.NotFound,
            (_, "6240") => QuickBooksErrorKind.DuplicateName,
            (_, "6140") => QuickBooksErrorKind.DuplicateDocNumber,
            (404, _) => QuickBooksErrorKind.NotFound,
            _ when string.Equals(faultType, "SystemFault", StringComparison.OrdinalIgnoreCase) => QuickBooksErrorKind.Transient,
            _ => QuickBooksErrorKind.Validation,
        };

    private static QboFault? TryReadFault(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<QboFaultEnvelope>(body, QboJson.Options)?.Fault;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string DefaultMessage(QuickBooksErrorKind kind, int httpStatus) => kind switch
    {
        QuickBooksErrorKind.Throttled => "QuickBooks asked us to slow down (too many requests).",
        QuickBooksErrorKind.Unauthorized => "QuickBooks did not accept the connection's access token.",
        QuickBooksErrorKind.Forbidden => "The QuickBooks connection does not allow this.",
        QuickBooksErrorKind.Transient => $"QuickBooks is having trouble (HTTP {httpStatus}).",
        _ => $"QuickBooks refused the request (HTTP {httpStatus}).",
    };
}

namespace Jobkore.Core.QuickBooks.Errors;

/// <summary>What the sync does about a QBO error; one category per different reaction.</summary>
public enum QuickBooksErrorKind
{
    /// <summary>The data was refused (2xxx, 6000…): show the message, wait for an edit or a retry.</summary>
    Validation,

    /// <summary>5010: someone changed the record in QBO; re-read it, re-apply, retry once.</summary>
    Stale,

    /// <summary>610: the record (or one it refers to) is gone or inactive.</summary>
    NotFound,

    /// <summary>6240: a customer, vendor or employee already has the DisplayName.</summary>
    DuplicateName,

    /// <summary>6140: the DocNumber is already used.</summary>
    DuplicateDocNumber,

    /// <summary>401 / 3200 / 100: the access token is missing, bad, expired or revoked; refresh or reconnect.</summary>
    Unauthorized,

    /// <summary>403 / 3100 / 120: the grant does not cover this company or operation.</summary>
    Forbidden,

    /// <summary>429 / 3001: over Intuit's limits; wait and try again, never fail the document for it.</summary>
    Throttled,

    /// <summary>5xx, 10000, timeouts, dropped connections: try again with backoff.</summary>
    Transient,
}

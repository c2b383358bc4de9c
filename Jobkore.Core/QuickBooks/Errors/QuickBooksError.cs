namespace Jobkore.Core.QuickBooks.Errors;

/// <summary>
/// A QBO error in our own terms. <see cref="IntuitTid"/> is the transaction id Intuit support asks for (docs/quickbooks-api.md §4);
/// it is logged with every error. Bodies and tokens are never kept here.
/// </summary>
public sealed record QuickBooksError(
    QuickBooksErrorKind Kind,
    int HttpStatus,
    string? Code,
    string? Element,
    string Message,
    string? Detail,
    string? IntuitTid)
{
    public bool IsRetryable => Kind is QuickBooksErrorKind.Throttled or QuickBooksErrorKind.Transient;

    /// <summary>
    /// The books are closed for the transaction's date: Intuit documents 6210 "Account Period Closed", and one field
    /// report (python-quickbooks issue #208) saw the same Message under 5010, so the Message counts too.
    /// </summary>
    public bool IsPeriodClosed => Code == "6210" || Message.Contains("Account Period Closed", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Thrown by the QuickBooks client for any fault QBO answers with.</summary>
public sealed class QuickBooksException : Exception
{
    public QuickBooksException(QuickBooksError error)
        : base(Describe(error))
    {
        Error = error;
    }

    public QuickBooksException()
        : this(new QuickBooksError(QuickBooksErrorKind.Transient, 0, null, null, "QuickBooks failed.", null, null))
    {
    }

    public QuickBooksException(string message)
        : this(new QuickBooksError(QuickBooksErrorKind.Transient, 0, null, null, message, null, null))
    {
    }

    public QuickBooksException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new QuickBooksError(QuickBooksErrorKind.Transient, 0, null, null, message, null, null);
    }

    public QuickBooksError Error { get; }

    private static string Describe(QuickBooksError error) =>
        $"QuickBooks {error.Kind} error{(error.Code is null ? string.Empty : " " + error.Code)}: {error.Message}{(error.IntuitTid is null ? string.Empty : $" (intuit_tid {error.IntuitTid})")}";
}

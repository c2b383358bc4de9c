namespace Jobkore.Core.QuickBooks.OAuth;

/// <summary>
/// The token or revoke endpoint refused (docs/quickbooks-api.md §1 "Errors"). <see cref="Error"/> is the OAuth code, e.g.
/// <c>invalid_grant</c> for an expired, rotated-out or revoked refresh token: the user must reconnect.
/// </summary>
public sealed class IntuitOAuthException : Exception
{
    public IntuitOAuthException(string error, string? description, int httpStatus, string? intuitTid)
        : base($"Intuit refused the token request: {error}{(description is null ? string.Empty : $" ({description})")}, HTTP {httpStatus}{(intuitTid is null ? string.Empty : $", intuit_tid {intuitTid}")}")
    {
        Error = error;
        IntuitTid = intuitTid;
    }

    public IntuitOAuthException()
        : this("server_error", null, 0, null)
    {
    }

    public IntuitOAuthException(string message)
        : base(message)
    {
        Error = "server_error";
    }

    public IntuitOAuthException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = "server_error";
    }

    public string Error { get; }

    public string? IntuitTid { get; }

    public bool IsInvalidGrant => Error == "invalid_grant";
}

namespace Jobkore.Core.QuickBooks.Connections;

public enum QuickBooksConnectionStatus
{
    Connected = 0,

    /// <summary>Intuit refused the refresh token (invalid_grant): an admin must reconnect; documents keep waiting.</summary>
    ReconnectNeeded = 1,
}

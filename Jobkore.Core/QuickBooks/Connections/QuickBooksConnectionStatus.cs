namespace Jobkore.Core.QuickBooks.Connections;

public enum QuickBooksConnectionStatus
{
    Connected = 0,

    /// <summary>Intuit refused the refresh token (invalid_grant): an admin must reconnect; documents keep waiting.</summary>
    ReconnectNeeded = 1,

    /// <summary>An admin disconnected and kept the mappings: no tokens; reconnecting the same company links everything back.</summary>
    Disconnected = 2,
}

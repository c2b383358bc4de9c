namespace Jobkore.Core.QuickBooks.Connect;

/// <summary>How a Connect QuickBooks attempt ended; every outcome but <see cref="Connected"/> stores nothing.</summary>
public enum ConnectOutcome
{
    Connected,

    /// <summary>The user chose not to connect on Intuit's page (<c>error=access_denied</c>).</summary>
    Declined,

    /// <summary>The callback's <c>state</c> is unknown, used already, or belongs to another user or business.</summary>
    InvalidState,

    /// <summary>The <c>state</c> was genuine but the user took longer than <see cref="QuickBooksConnector.StateLifetime"/>.</summary>
    Expired,

    /// <summary>Mappings of another company are kept: connecting this one could write into the wrong books.</summary>
    OtherCompanyMapped,

    /// <summary>Intuit refused or could not be reached; the message says what happened.</summary>
    Failed,
}

/// <summary>The outcome, the company it is about when there is one, and for <see cref="ConnectOutcome.Failed"/> what went wrong.</summary>
public sealed record ConnectResult(ConnectOutcome Outcome, string? CompanyName = null, string? Detail = null);

/// <summary>What Intuit sent to the callback: <c>code</c>, <c>state</c>, <c>realmId</c>, or <c>error</c>.</summary>
public sealed record QuickBooksCallback(string? Code, string? State, string? RealmId, string? Error, string? ErrorDescription);

namespace Jobkore.Core.SyncState;

/// <summary>The Jobkore records that are sent to QuickBooks, and what each becomes there.</summary>
public enum SyncEntityType
{
    /// <summary>A client ⇒ a QBO Customer.</summary>
    Client = 0,

    /// <summary>A catalog item ⇒ a QBO Item.</summary>
    CatalogItem = 1,

    /// <summary>An invoice ⇒ a QBO Invoice.</summary>
    Invoice = 2,

    /// <summary>A payment ⇒ a QBO Payment.</summary>
    Payment = 3,
}

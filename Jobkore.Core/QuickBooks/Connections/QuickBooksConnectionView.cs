namespace Jobkore.Core.QuickBooks.Connections;

/// <summary>What the integration card shows about the business's QuickBooks connection.</summary>
public sealed record QuickBooksConnectionView(
    QuickBooksConnectionStatus Status,
    string RealmId,
    string CompanyName,
    QuickBooksEnvironment Environment,
    string ConnectedBy,
    DateTimeOffset ConnectedAt,
    DateTimeOffset? LastSyncedAt,
    bool HasKeptMappings)
{
    public bool IsConnected => Status == QuickBooksConnectionStatus.Connected;
}

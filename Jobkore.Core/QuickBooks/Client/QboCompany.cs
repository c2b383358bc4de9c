namespace Jobkore.Core.QuickBooks.Client;

/// <summary>A connected QBO company: its realm id and the API host of its environment (docs/quickbooks-api.md §2 "Hosts").</summary>
public sealed record QboCompany(string RealmId, Uri ApiBaseUrl)
{
    /// <summary><c>{base}/v3/company/{realmId}/{path}</c>.</summary>
    internal Uri Resource(string pathAndQuery) => new(ApiBaseUrl, $"v3/company/{Uri.EscapeDataString(RealmId)}/{pathAndQuery}");
}

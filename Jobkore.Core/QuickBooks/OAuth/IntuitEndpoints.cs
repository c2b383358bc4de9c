namespace Jobkore.Core.QuickBooks.OAuth;

/// <summary>Where an environment's OAuth and Accounting API live (docs/quickbooks-api.md §1 "Endpoints", §2 "Hosts").</summary>
public sealed record IntuitEndpoints(Uri Authorize, Uri Token, Uri Revoke, Uri UserInfo, Uri ApiBase);

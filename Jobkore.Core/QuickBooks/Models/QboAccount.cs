namespace Jobkore.Core.QuickBooks.Models;

/// <summary>A QBO Account of the chart of accounts (docs/quickbooks-api.md §5 Account; sample account.json).</summary>
public sealed record QboAccount : QboEntity
{
    public string? Name { get; init; }

    public string? FullyQualifiedName { get; init; }

    /// <summary>For example "Bank", "Other Current Asset", "Income" (with spaces, as QBO spells them).</summary>
    public string? AccountType { get; init; }

    /// <summary>For example "Checking", "UndepositedFunds".</summary>
    public string? AccountSubType { get; init; }

    public string? Classification { get; init; }

    public decimal? CurrentBalance { get; init; }

    public decimal? CurrentBalanceWithSubAccounts { get; init; }

    public bool? Active { get; init; }

    public bool? SubAccount { get; init; }

    public QboRef? ParentRef { get; init; }

    public QboRef? CurrencyRef { get; init; }

    public string? Description { get; init; }
}

namespace Jobkore.Core.QuickBooks.Models;

/// <summary>A QBO Customer (docs/quickbooks-api.md §5 Customer; sample customer.json).</summary>
public sealed record QboCustomer : QboEntity
{
    public string? DisplayName { get; init; }

    public string? CompanyName { get; init; }

    public string? GivenName { get; init; }

    public string? FamilyName { get; init; }

    public string? FullyQualifiedName { get; init; }

    public string? PrintOnCheckName { get; init; }

    public QboEmail? PrimaryEmailAddr { get; init; }

    public QboPhone? PrimaryPhone { get; init; }

    public QboAddress? BillAddr { get; init; }

    public QboAddress? ShipAddr { get; init; }

    public bool? Active { get; init; }

    public bool? Taxable { get; init; }

    public decimal? Balance { get; init; }

    public decimal? BalanceWithJobs { get; init; }

    public bool? Job { get; init; }

    public bool? BillWithParent { get; init; }

    public string? PreferredDeliveryMethod { get; init; }

    public string? Notes { get; init; }
}

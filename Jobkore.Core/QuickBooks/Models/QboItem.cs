namespace Jobkore.Core.QuickBooks.Models;

/// <summary>A QBO Item, a product or service (docs/quickbooks-api.md §5 Item; sample query-response-item.json).</summary>
public sealed record QboItem : QboEntity
{
    public string? Name { get; init; }

    public string? FullyQualifiedName { get; init; }

    /// <summary>Service, NonInventory, Inventory, Category or Group.</summary>
    public string? Type { get; init; }

    public string? Description { get; init; }

    public decimal? UnitPrice { get; init; }

    public decimal? PurchaseCost { get; init; }

    public bool? Taxable { get; init; }

    public bool? TrackQtyOnHand { get; init; }

    public bool? Active { get; init; }

    public QboRef? IncomeAccountRef { get; init; }

    public QboRef? ExpenseAccountRef { get; init; }

    public string? Sku { get; init; }
}

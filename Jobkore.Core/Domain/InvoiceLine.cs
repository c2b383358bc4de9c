namespace Jobkore.Core.Domain;

/// <summary>One line of an invoice. Lines are replaced as a whole when the invoice is edited.</summary>
public sealed class InvoiceLine
{
    private InvoiceLine()
    {
        Description = string.Empty;
    }

    internal InvoiceLine(int position, InvoiceLineDraft draft)
        : this()
    {
        Position = position;
        CatalogItemId = draft.CatalogItemId;
        Description = draft.Description?.Trim() ?? string.Empty;
        Quantity = draft.Quantity;
        UnitPrice = draft.UnitPrice;
        Taxable = draft.Taxable;
        Amount = draft.Amount;
    }

    public int Id { get; private set; }

    public int InvoiceId { get; private set; }

    /// <summary>Order on the invoice, starting at 1.</summary>
    public int Position { get; private set; }

    public int? CatalogItemId { get; private set; }

    public string Description { get; private set; }

    public decimal Quantity { get; private set; }

    public decimal UnitPrice { get; private set; }

    public bool Taxable { get; private set; }

    public decimal Amount { get; private set; }

    public InvoiceLineDraft ToDraft() => new(CatalogItemId, Description, Quantity, UnitPrice, Taxable);
}

using System.Text.Json;
using Jobkore.Core.Catalog;
using Jobkore.Core.Clients;
using Jobkore.Core.Domain;

namespace Jobkore.Web.Components.Pages.Invoices;

/// <summary>The invoice editor's form state: mutable while a person types, turned into an <see cref="InvoiceDraft"/> to save.</summary>
public sealed class InvoiceEditorModel
{
    public ClientOption? Client { get; set; }

    public string Number { get; set; } = string.Empty;

    public DateTime? IssueDate { get; set; }

    public DateTime? DueDate { get; set; }

    public decimal TaxRatePercent { get; set; }

    public string? Memo { get; set; }

    public List<LineModel> Lines { get; } = [];

    public InvoiceTotals Totals => InvoiceTotals.Calculate(Lines.Select(l => l.ToDraft()), TaxRatePercent);

    public InvoiceDraft ToDraft() => new(
        Number,
        Client?.Id ?? 0,
        DateOnly.FromDateTime(IssueDate ?? DateTime.MinValue),
        DateOnly.FromDateTime(DueDate ?? DateTime.MinValue),
        TaxRatePercent,
        Memo,
        Lines.Select(l => l.ToDraft()).ToList());

    /// <summary>A fingerprint of everything a person can change, to tell whether there is unsaved work.</summary>
    public string Fingerprint() => JsonSerializer.Serialize(new { Client?.Id, Number, IssueDate, DueDate, TaxRatePercent, Memo, Lines = Lines.Select(l => l.ToDraft()) });

    public sealed class LineModel
    {
        public CatalogItemRow? Item { get; set; }

        public string? Description { get; set; }

        public decimal Quantity { get; set; } = 1;

        public decimal UnitPrice { get; set; }

        public bool Taxable { get; set; }

        public decimal Amount => ToDraft().Amount;

        /// <summary>Choosing a catalog item fills in its description, price and taxability; a person can still change them.</summary>
        public void Choose(CatalogItemRow? item)
        {
            Item = item;
            if (item is not null)
            {
                Description = item.Description ?? item.Name;
                UnitPrice = item.UnitPrice;
                Taxable = item.Taxable;
            }
        }

        public InvoiceLineDraft ToDraft() => new(Item?.Id, Description, Quantity, UnitPrice, Taxable);
    }
}

namespace Jobkore.Core.Domain;

/// <summary>A line as entered: from a catalog item or free text.</summary>
public sealed record InvoiceLineDraft(int? CatalogItemId, string? Description, decimal Quantity, decimal UnitPrice, bool Taxable)
{
    /// <summary>Quantity × unit price, rounded to cents half away from zero.</summary>
    public decimal Amount => Money.RoundToCents(Quantity * UnitPrice);
}

/// <summary>Subtotal, tax and total of a set of lines, each rounded to cents half away from zero.</summary>
public sealed record InvoiceTotals(decimal Subtotal, decimal TaxableSubtotal, decimal Tax, decimal Total)
{
    public static InvoiceTotals Calculate(IEnumerable<InvoiceLineDraft> lines, decimal taxRatePercent)
    {
        ArgumentNullException.ThrowIfNull(lines);
        decimal subtotal = 0, taxable = 0;
        foreach (var line in lines)
        {
            var amount = line.Amount;
            subtotal += amount;
            if (line.Taxable)
            {
                taxable += amount;
            }
        }

        // Tax is computed once on the taxable subtotal, not per line, so it cannot drift by a cent per line.
        var tax = Money.RoundToCents(taxable * taxRatePercent / 100m);
        return new InvoiceTotals(subtotal, taxable, tax, subtotal + tax);
    }
}

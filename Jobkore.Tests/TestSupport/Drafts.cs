using Jobkore.Core.Domain;

namespace Jobkore.Tests.TestSupport;

/// <summary>Small builders for invoice drafts, so each test states only what matters to it.</summary>
internal static class Drafts
{
    public static readonly DateOnly Issued = new(2026, 11, 1);

    public static InvoiceLineDraft Line(decimal quantity, decimal unitPrice, bool taxable = false, string description = "Labor", int? itemId = null) =>
        new(itemId, description, quantity, unitPrice, taxable);

    public static InvoiceDraft Invoice(int clientId, params InvoiceLineDraft[] lines) =>
        Invoice(clientId, "INV-1", 0m, lines);

    public static InvoiceDraft Invoice(int clientId, string number, decimal taxRate, params InvoiceLineDraft[] lines) =>
        new(number, clientId, Issued, Issued.AddDays(30), taxRate, null, lines);

    public static ClientDetails Client(string name) => new(name, null, null, null, PostalAddress.Empty);
}

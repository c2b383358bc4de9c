using Jobkore.Core.Domain;

namespace Jobkore.Core.Invoices;

public sealed record InvoiceRow(int Id, string Number, string ClientName, DateOnly IssueDate, DateOnly DueDate, InvoiceStatus Status, decimal Total, decimal AmountPaid)
{
    public decimal Balance => Total - AmountPaid;
}

public sealed record InvoiceView(
    int Id,
    string Number,
    int ClientId,
    string ClientName,
    string? ClientEmail,
    IReadOnlyList<string> ClientAddress,
    DateOnly IssueDate,
    DateOnly DueDate,
    InvoiceStatus Status,
    decimal TaxRatePercent,
    string? Memo,
    IReadOnlyList<InvoiceLineView> Lines,
    decimal Subtotal,
    decimal Tax,
    decimal Total,
    decimal AmountPaid,
    IReadOnlyList<InvoicePaymentView> Payments,
    DateTimeOffset? SentAt,
    DateTimeOffset? VoidedAt)
{
    public decimal Balance => Total - AmountPaid;

    public bool CanEdit => Status != InvoiceStatus.Void;

    public bool CanRecordPayment => Status != InvoiceStatus.Void && Balance > 0;

    public bool CanVoid => Status != InvoiceStatus.Void && AmountPaid == 0;
}

public sealed record InvoiceLineView(string Description, string? CatalogItemName, decimal Quantity, decimal UnitPrice, bool Taxable, decimal Amount);

public sealed record InvoicePaymentView(int Id, DateOnly Date, PaymentMethod Method, string? Reference, decimal Amount);

/// <summary>An invoice as the editor loads it.</summary>
public sealed record InvoiceForEdit(int Id, InvoiceDraft Draft, string ClientName, InvoiceStatus Status, decimal AmountPaid);

public sealed record NewInvoiceDefaults(string Number, decimal TaxRatePercent);

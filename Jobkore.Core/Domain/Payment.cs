namespace Jobkore.Core.Domain;

/// <summary>Money received against one invoice. Created through <see cref="Invoice.RecordPayment"/>.</summary>
public sealed class Payment : IBusinessOwned
{
    public const int ReferenceMaxLength = 50;

    private Payment()
    {
    }

    internal Payment(Invoice invoice, decimal amount, DateOnly date, PaymentMethod method, string? reference, DateTimeOffset now)
        : this()
    {
        BusinessId = invoice.BusinessId;
        Invoice = invoice;
        Amount = amount;
        Date = date;
        Method = method;
        Reference = reference;
        CreatedAt = now;
    }

    public int Id { get; private set; }

    public int BusinessId { get; private set; }

    public int InvoiceId { get; private set; }

    public Invoice? Invoice { get; private set; }

    public decimal Amount { get; private set; }

    public DateOnly Date { get; private set; }

    public PaymentMethod Method { get; private set; }

    public string? Reference { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}

namespace Jobkore.Core.QuickBooks.Models;

/// <summary>A payment method of the company's list, e.g. "Check" (docs/quickbooks-api.md §5 Payment: PaymentMethodRef).</summary>
public sealed record QboPaymentMethod : QboEntity
{
    public string? Name { get; init; }

    /// <summary>"CREDIT_CARD" or "NON_CREDIT_CARD".</summary>
    public string? Type { get; init; }

    public bool? Active { get; init; }
}

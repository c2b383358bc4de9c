namespace Jobkore.Core.QuickBooks.Models;

/// <summary>A QBO Payment (docs/quickbooks-api.md §5 Payment; sample payment.json). Without DepositToAccountRef it lands in Undeposited Funds.</summary>
public sealed record QboPayment : QboEntity
{
    public DateOnly? TxnDate { get; init; }

    public QboRef? CustomerRef { get; init; }

    public decimal? TotalAmt { get; init; }

    public decimal? UnappliedAmt { get; init; }

    public QboRef? DepositToAccountRef { get; init; }

    public QboRef? PaymentMethodRef { get; init; }

    public string? PaymentRefNum { get; init; }

    public string? PrivateNote { get; init; }

    public bool? ProcessPayment { get; init; }

    /// <summary>All-or-nothing on update: send every line (docs/quickbooks-api.md §2).</summary>
    public IReadOnlyList<QboPaymentLine>? Line { get; init; }
}

/// <summary>The amount of a payment applied to linked transactions. QBO's JAXB-style "LineEx" echo is ignored.</summary>
public sealed record QboPaymentLine(decimal Amount, IReadOnlyList<QboLinkedTxn> LinkedTxn);

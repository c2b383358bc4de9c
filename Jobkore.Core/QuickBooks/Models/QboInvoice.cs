namespace Jobkore.Core.QuickBooks.Models;

/// <summary>A QBO Invoice (docs/quickbooks-api.md §5 Invoice; sample invoice.json). TotalAmt and Balance are computed by QBO.</summary>
public sealed record QboInvoice : QboEntity
{
    public string? DocNumber { get; init; }

    public DateOnly? TxnDate { get; init; }

    public DateOnly? DueDate { get; init; }

    public QboRef? CustomerRef { get; init; }

    public IReadOnlyList<QboLine>? Line { get; init; }

    public QboTxnTaxDetail? TxnTaxDetail { get; init; }

    public decimal? TotalAmt { get; init; }

    public decimal? Balance { get; init; }

    public decimal? Deposit { get; init; }

    public QboMemo? CustomerMemo { get; init; }

    public string? PrivateNote { get; init; }

    public QboEmail? BillEmail { get; init; }

    public QboAddress? BillAddr { get; init; }

    public QboAddress? ShipAddr { get; init; }

    public QboRef? SalesTermRef { get; init; }

    public bool? ApplyTaxAfterDiscount { get; init; }

    public string? PrintStatus { get; init; }

    public string? EmailStatus { get; init; }

    public IReadOnlyList<QboLinkedTxn>? LinkedTxn { get; init; }
}

/// <summary>
/// One line of a sales transaction; <see cref="DetailType"/> says which detail is set
/// (SalesItemLineDetail, SubTotalLineDetail, DiscountLineDetail, DescriptionOnly).
/// </summary>
public sealed record QboLine
{
    public string? Id { get; init; }

    public int? LineNum { get; init; }

    public string? Description { get; init; }

    public decimal? Amount { get; init; }

    public string? DetailType { get; init; }

    public QboSalesItemLineDetail? SalesItemLineDetail { get; init; }

    public QboDiscountLineDetail? DiscountLineDetail { get; init; }

    public QboEmptyDetail? SubTotalLineDetail { get; init; }
}

public sealed record QboSalesItemLineDetail
{
    public QboRef? ItemRef { get; init; }

    public decimal? Qty { get; init; }

    public decimal? UnitPrice { get; init; }

    /// <summary>"TAX" or "NON" in US companies.</summary>
    public QboRef? TaxCodeRef { get; init; }

    public DateOnly? ServiceDate { get; init; }
}

public sealed record QboDiscountLineDetail
{
    public bool? PercentBased { get; init; }

    public decimal? DiscountPercent { get; init; }

    public QboRef? DiscountAccountRef { get; init; }
}

/// <summary>A detail object QBO sends empty: <c>"SubTotalLineDetail": {}</c>.</summary>
public sealed record QboEmptyDetail;

public sealed record QboTxnTaxDetail
{
    public QboRef? TxnTaxCodeRef { get; init; }

    public decimal? TotalTax { get; init; }

    public IReadOnlyList<QboTaxLine>? TaxLine { get; init; }
}

public sealed record QboTaxLine
{
    public decimal? Amount { get; init; }

    public string? DetailType { get; init; }

    public QboTaxLineDetail? TaxLineDetail { get; init; }
}

public sealed record QboTaxLineDetail
{
    public QboRef? TaxRateRef { get; init; }

    public bool? PercentBased { get; init; }

    public decimal? TaxPercent { get; init; }

    public decimal? NetAmountTaxable { get; init; }
}

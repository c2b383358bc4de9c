using System.Globalization;

namespace Jobkore.Core.Domain;

/// <summary>What a person enters for an invoice; <see cref="Invoice"/> checks it.</summary>
public sealed record InvoiceDraft(
    string Number,
    int ClientId,
    DateOnly IssueDate,
    DateOnly DueDate,
    decimal TaxRatePercent,
    string? Memo,
    IReadOnlyList<InvoiceLineDraft> Lines);

/// <summary>
/// A bill to a client. Totals are recomputed from the lines on every change, and the status follows from
/// whether it was sent, how much is paid and whether it is void.
/// </summary>
public sealed class Invoice : IBusinessOwned
{
    /// <summary>QuickBooks limits DocNumber to 21 characters.</summary>
    public const int NumberMaxLength = 21;
    public const int MemoMaxLength = 1000;
    public const int DescriptionMaxLength = 4000;

    /// <summary>QuickBooks refuses more than 750 lines on an invoice with taxable lines (docs/quickbooks-api.md §5 Invoice).</summary>
    public const int MaxLinesWhenTaxable = 750;

    /// <summary>QuickBooks takes a line amount of at most 10 digits before the decimal point (docs/quickbooks-api.md §5 Invoice: 15 digits, 10.5 format).</summary>
    public const decimal MaxLineAmount = 9_999_999_999.99m;

    private readonly List<InvoiceLine> _lines = [];
    private readonly List<Payment> _payments = [];

    private Invoice()
    {
        Number = string.Empty;
    }

    public Invoice(int businessId, InvoiceDraft draft, DateTimeOffset now)
        : this()
    {
        BusinessId = businessId;
        CreatedAt = now;
        Apply(draft, now);
    }

    public int Id { get; private set; }

    public int BusinessId { get; private set; }

    public string Number { get; private set; }

    public int ClientId { get; private set; }

    public Client? Client { get; private set; }

    public DateOnly IssueDate { get; private set; }

    public DateOnly DueDate { get; private set; }

    public decimal TaxRatePercent { get; private set; }

    public string? Memo { get; private set; }

    public decimal Subtotal { get; private set; }

    public decimal Tax { get; private set; }

    public decimal Total { get; private set; }

    public decimal AmountPaid { get; private set; }

    public decimal Balance => Total - AmountPaid;

    public InvoiceStatus Status { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public DateTimeOffset? VoidedAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyList<InvoiceLine> Lines => _lines;

    public IReadOnlyList<Payment> Payments => _payments;

    public InvoiceDraft ToDraft() =>
        new(Number, ClientId, IssueDate, DueDate, TaxRatePercent, Memo, _lines.OrderBy(l => l.Position).Select(l => l.ToDraft()).ToList());

    /// <summary>Replaces the invoice's content; the new total may not fall below what is already paid.</summary>
    public void Update(InvoiceDraft draft, DateTimeOffset now)
    {
        EnsureNotVoid("edited");
        Apply(draft, now);
    }

    public void MarkSent(DateTimeOffset now)
    {
        EnsureNotVoid("sent");
        SentAt ??= now;
        UpdatedAt = now;
        RefreshStatus();
    }

    /// <summary>Records money received, at most the open balance.</summary>
    public Payment RecordPayment(decimal amount, DateOnly date, PaymentMethod method, string? reference, DateTimeOffset now)
    {
        EnsureNotVoid("paid");
        if (amount <= 0)
        {
            throw new DomainRuleException("Payment amount must be greater than zero.", "Amount");
        }

        Rules.Throw(Rules.Price(amount, "Payment amount"), "Amount");
        if (amount > Balance)
        {
            throw new DomainRuleException(
                Balance == 0
                    ? $"Invoice {Number} is already paid in full."
                    : $"The payment of {Plain(amount)} is more than the open balance of {Plain(Balance)}.",
                "Amount");
        }

        if (!Enum.IsDefined(method))
        {
            throw new DomainRuleException("Choose a payment method.", "Method");
        }

        Rules.Throw(Rules.Date(date, "payment date"), "Date");
        if (date < IssueDate)
        {
            throw new DomainRuleException($"The payment date cannot be before the invoice date ({IssueDate:yyyy-MM-dd}).", "Date");
        }

        var payment = new Payment(this, amount, date, method, Rules.OptionalText(reference, "Reference", Payment.ReferenceMaxLength, "Reference"), now);
        _payments.Add(payment);
        AmountPaid += amount;
        UpdatedAt = now;
        RefreshStatus();
        return payment;
    }

    /// <summary>Removes a payment recorded on this invoice. Needs <see cref="Payments"/> loaded.</summary>
    public void RemovePayment(Payment payment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (!_payments.Remove(payment))
        {
            throw new DomainRuleException($"That payment is not recorded on invoice {Number}.");
        }

        AmountPaid -= payment.Amount;
        UpdatedAt = now;
        RefreshStatus();
    }

    /// <summary>Voids the invoice: it stays on record with its number, but owes nothing.</summary>
    public void Void(DateTimeOffset now)
    {
        EnsureNotVoid("voided again");
        if (AmountPaid > 0)
        {
            var count = _payments.Count > 1 ? $"the {_payments.Count} payments" : "the payments";
            throw new DomainRuleException($"Invoice {Number} has payments. Remove {count} recorded on it before voiding it.");
        }

        VoidedAt = now;
        UpdatedAt = now;
        RefreshStatus();
    }

    private void Apply(InvoiceDraft draft, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var number = Rules.RequiredText(draft.Number, "Invoice number", NumberMaxLength, nameof(Number));
        if (number.AsSpan().IndexOfAny('\t', '\r', '\n') >= 0)
        {
            throw new DomainRuleException("Invoice number cannot contain tabs or line breaks.", nameof(Number));
        }

        if (draft.ClientId <= 0)
        {
            throw new DomainRuleException("Choose the client this invoice is for.", nameof(ClientId));
        }

        // A payment is its invoice's client's: moving a paid invoice to another client would leave its payments with the
        // first one, in Jobkore and in QuickBooks (which refuses it on its own screens).
        if (AmountPaid > 0 && draft.ClientId != ClientId)
        {
            throw new DomainRuleException($"Invoice {Number} has payments from its client. Remove its payments before changing the client.", nameof(ClientId));
        }

        Rules.Throw(Rules.Date(draft.IssueDate, "issue date"), nameof(IssueDate));
        Rules.Throw(Rules.Date(draft.DueDate, "due date"), nameof(DueDate));
        if (draft.DueDate < draft.IssueDate)
        {
            throw new DomainRuleException("The due date cannot be before the issue date.", nameof(DueDate));
        }

        Rules.Throw(Rules.TaxRate(draft.TaxRatePercent), nameof(TaxRatePercent));
        var memo = Rules.OptionalText(draft.Memo, "Memo", MemoMaxLength, nameof(Memo));
        ValidateLines(draft.Lines);

        var totals = InvoiceTotals.Calculate(draft.Lines, draft.TaxRatePercent);
        if (totals.Total < AmountPaid)
        {
            throw new DomainRuleException(
                $"The new total ({Plain(totals.Total)}) is less than the {Plain(AmountPaid)} already paid. Remove a payment first or keep the total at least that amount.",
                nameof(Lines));
        }

        Number = number;
        ClientId = draft.ClientId;
        IssueDate = draft.IssueDate;
        DueDate = draft.DueDate;
        TaxRatePercent = draft.TaxRatePercent;
        Memo = memo;
        _lines.Clear();
        _lines.AddRange(draft.Lines.Select((line, index) => new InvoiceLine(index + 1, line)));
        Subtotal = totals.Subtotal;
        Tax = totals.Tax;
        Total = totals.Total;
        UpdatedAt = now;
        RefreshStatus();
    }

    private static void ValidateLines(IReadOnlyList<InvoiceLineDraft>? lines)
    {
        if (lines is null || lines.Count == 0)
        {
            throw new DomainRuleException("Add at least one line to the invoice.", nameof(Lines));
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var field = $"Lines[{i}]";
            var where = $"Line {i + 1}: ";
            if (line.CatalogItemId is null && string.IsNullOrWhiteSpace(line.Description))
            {
                throw new DomainRuleException(where + "choose a catalog item or type a description.", field + ".Description");
            }

            Prefixed(where, Rules.Optional(line.Description, "Description", DescriptionMaxLength), field + ".Description");
            Prefixed(where, Rules.Quantity(line.Quantity), field + ".Quantity");
            Prefixed(where, Rules.Price(line.UnitPrice), field + ".UnitPrice");
            if (line.Amount > MaxLineAmount)
            {
                throw new DomainRuleException(
                    where + string.Create(CultureInfo.InvariantCulture, $"the amount (quantity × unit price) can be at most {MaxLineAmount:#,0.00}, the most QuickBooks accepts on a line."),
                    field + ".Quantity");
            }
        }

        if (lines.Count > MaxLinesWhenTaxable && lines.Any(l => l.Taxable))
        {
            throw new DomainRuleException(
                string.Create(CultureInfo.InvariantCulture, $"QuickBooks accepts at most {MaxLinesWhenTaxable} lines on an invoice with taxable lines; this one has {lines.Count}. Split it into two invoices."),
                nameof(Lines));
        }
    }

    private static void Prefixed(string where, string? error, string field)
    {
        if (error is not null)
        {
            throw new DomainRuleException(where + char.ToLowerInvariant(error[0]) + error[1..], field);
        }
    }

    private void EnsureNotVoid(string action)
    {
        if (Status == InvoiceStatus.Void)
        {
            throw new DomainRuleException($"Invoice {Number} is void and cannot be {action}.");
        }
    }

    private void RefreshStatus() =>
        Status = VoidedAt is not null ? InvoiceStatus.Void
            : AmountPaid > 0 && AmountPaid >= Total ? InvoiceStatus.Paid
            : AmountPaid > 0 ? InvoiceStatus.PartiallyPaid
            : SentAt is not null ? InvoiceStatus.Sent
            : InvoiceStatus.Draft;

    private static string Plain(decimal amount) => amount.ToString("#,0.00", CultureInfo.InvariantCulture);
}

using System.Globalization;
using Jobkore.Core.Domain;
using Jobkore.Tests.TestSupport;

namespace Jobkore.Tests.Core.Domain;

public sealed class InvoiceTests
{
    private static readonly DateTimeOffset s_now = TestServices.Now;

    private static Invoice NewInvoice(params InvoiceLineDraft[] lines) =>
        new(1, Drafts.Invoice(7, "INV-1001", 10m, lines.Length == 0 ? [Drafts.Line(1, 100m, taxable: true)] : lines), s_now);

    [Fact]
    public void Constructor_ValidDraft_ComputesTotalsAndStartsAsDraft()
    {
        var sut = NewInvoice(Drafts.Line(2, 50m, taxable: true), Drafts.Line(1, 25m));

        sut.Subtotal.ShouldBe(125m);
        sut.Tax.ShouldBe(10m);
        sut.Total.ShouldBe(135m);
        sut.Balance.ShouldBe(135m);
        sut.Status.ShouldBe(InvoiceStatus.Draft);
        sut.Lines.Select(l => l.Position).ShouldBe([1, 2]);
        sut.Lines[0].Amount.ShouldBe(100m);
    }

    [Fact]
    public void MarkSent_Draft_BecomesSent()
    {
        var sut = NewInvoice();

        sut.MarkSent(s_now);

        sut.Status.ShouldBe(InvoiceStatus.Sent);
        sut.SentAt.ShouldBe(s_now);
    }

    [Fact]
    public void RecordPayment_PartOfBalance_IsPartiallyPaid()
    {
        var sut = NewInvoice();
        sut.MarkSent(s_now);

        sut.RecordPayment(40m, Drafts.Issued, PaymentMethod.Cash, null, s_now);

        sut.Status.ShouldBe(InvoiceStatus.PartiallyPaid);
        sut.AmountPaid.ShouldBe(40m);
        sut.Balance.ShouldBe(70m);
    }

    [Fact]
    public void RecordPayment_WholeBalance_IsPaid()
    {
        var sut = NewInvoice();

        var payment = sut.RecordPayment(110m, Drafts.Issued.AddDays(3), PaymentMethod.Check, "  Check #42 ", s_now);

        sut.Status.ShouldBe(InvoiceStatus.Paid);
        sut.Balance.ShouldBe(0m);
        payment.Reference.ShouldBe("Check #42");
        payment.BusinessId.ShouldBe(1);
    }

    [Fact]
    public void RecordPayment_MoreThanBalance_IsRefusedWithTheBalance()
    {
        var sut = NewInvoice();

        var ex = Should.Throw<DomainRuleException>(() => sut.RecordPayment(110.01m, Drafts.Issued, PaymentMethod.Card, null, s_now));

        ex.Message.ShouldBe("The payment of 110.01 is more than the open balance of 110.00.");
        ex.Field.ShouldBe("Amount");
        sut.AmountPaid.ShouldBe(0m);
    }

    [Fact]
    public void RecordPayment_AlreadyPaid_SaysSo()
    {
        var sut = NewInvoice();
        sut.RecordPayment(110m, Drafts.Issued, PaymentMethod.Card, null, s_now);

        Should.Throw<DomainRuleException>(() => sut.RecordPayment(1m, Drafts.Issued, PaymentMethod.Card, null, s_now))
            .Message.ShouldBe("Invoice INV-1001 is already paid in full.");
    }

    [Theory]
    [InlineData(0, "Payment amount must be greater than zero.")]
    [InlineData(-5, "Payment amount must be greater than zero.")]
    [InlineData(1.005, "Payment amount can have at most 2 decimal places (cents).")]
    public void RecordPayment_BadAmount_IsRefused(decimal amount, string message)
    {
        var sut = NewInvoice();

        Should.Throw<DomainRuleException>(() => sut.RecordPayment(amount, Drafts.Issued, PaymentMethod.Cash, null, s_now)).Message.ShouldBe(message);
    }

    [Fact]
    public void RecordPayment_BeforeIssueDate_IsRefused()
    {
        var sut = NewInvoice();

        Should.Throw<DomainRuleException>(() => sut.RecordPayment(10m, Drafts.Issued.AddDays(-1), PaymentMethod.Cash, null, s_now))
            .Message.ShouldBe("The payment date cannot be before the invoice date (2026-11-01).");
    }

    [Fact]
    public void RecordPayment_DatedAfter2099_IsRefusedAsATypo()
    {
        var sut = NewInvoice();

        var ex = Should.Throw<DomainRuleException>(() => sut.RecordPayment(10m, new DateOnly(2100, 1, 1), PaymentMethod.Cash, null, s_now));

        ex.Message.ShouldBe("The payment date must be between 1900-01-01 and 2099-12-31.");
        ex.Field.ShouldBe("Date");
    }

    [Fact]
    public void RemovePayment_OnlyPayment_GoesBackToSent()
    {
        var sut = NewInvoice();
        sut.MarkSent(s_now);
        var payment = sut.RecordPayment(110m, Drafts.Issued, PaymentMethod.Cash, null, s_now);

        sut.RemovePayment(payment, s_now);

        sut.Status.ShouldBe(InvoiceStatus.Sent);
        sut.AmountPaid.ShouldBe(0m);
        sut.Payments.ShouldBeEmpty();
    }

    [Fact]
    public void Void_NoPayments_IsVoid()
    {
        var sut = NewInvoice();

        sut.Void(s_now);

        sut.Status.ShouldBe(InvoiceStatus.Void);
        sut.VoidedAt.ShouldBe(s_now);
    }

    [Fact]
    public void Void_WithPayments_IsRefusedUntilTheyAreRemoved()
    {
        var sut = NewInvoice();
        sut.RecordPayment(10m, Drafts.Issued, PaymentMethod.Cash, null, s_now);
        sut.RecordPayment(20m, Drafts.Issued, PaymentMethod.Cash, null, s_now);

        var ex = Should.Throw<DomainRuleException>(() => sut.Void(s_now));

        ex.Message.ShouldBe("Invoice INV-1001 has payments. Remove the 2 payments recorded on it before voiding it.");
        sut.Status.ShouldBe(InvoiceStatus.PartiallyPaid);
    }

    [Fact]
    public void VoidInvoice_CannotBeEditedPaidSentOrVoidedAgain()
    {
        var sut = NewInvoice();
        sut.Void(s_now);

        Should.Throw<DomainRuleException>(() => sut.Update(Drafts.Invoice(7, Drafts.Line(1, 5m)), s_now)).Message.ShouldBe("Invoice INV-1001 is void and cannot be edited.");
        Should.Throw<DomainRuleException>(() => sut.RecordPayment(5m, Drafts.Issued, PaymentMethod.Cash, null, s_now)).Message.ShouldBe("Invoice INV-1001 is void and cannot be paid.");
        Should.Throw<DomainRuleException>(() => sut.MarkSent(s_now)).Message.ShouldBe("Invoice INV-1001 is void and cannot be sent.");
        Should.Throw<DomainRuleException>(() => sut.Void(s_now)).Message.ShouldBe("Invoice INV-1001 is void and cannot be voided again.");
    }

    [Fact]
    public void Update_NewLines_RecomputesTotalsAndKeepsPaidStatus()
    {
        var sut = NewInvoice();
        sut.RecordPayment(110m, Drafts.Issued, PaymentMethod.Cash, null, s_now);

        sut.Update(Drafts.Invoice(7, "INV-1001", 10m, Drafts.Line(1, 100m, taxable: true), Drafts.Line(1, 50m)), s_now.AddMinutes(1));

        sut.Total.ShouldBe(160m);
        sut.Status.ShouldBe(InvoiceStatus.PartiallyPaid);
        sut.Lines.Count.ShouldBe(2);
        sut.UpdatedAt.ShouldBe(s_now.AddMinutes(1));
    }

    [Fact]
    public void Update_TotalBelowAmountPaid_IsRefusedAndNothingChanges()
    {
        var sut = NewInvoice();
        sut.RecordPayment(100m, Drafts.Issued, PaymentMethod.Cash, null, s_now);

        var ex = Should.Throw<DomainRuleException>(() => sut.Update(Drafts.Invoice(7, Drafts.Line(1, 50m)), s_now));

        ex.Message.ShouldStartWith("The new total (50.00) is less than the 100.00 already paid.");
        sut.Total.ShouldBe(110m);
        sut.Lines.Count.ShouldBe(1);
    }

    [Fact]
    public void Update_AnotherClient_IsRefusedOncePaid_AndAllowedWithoutPayments()
    {
        var sut = NewInvoice();
        sut.RecordPayment(10m, Drafts.Issued, PaymentMethod.Cash, null, s_now);

        var ex = Should.Throw<DomainRuleException>(() => sut.Update(Drafts.Invoice(8, Drafts.Line(1, 100m)), s_now));

        ex.Message.ShouldBe("Invoice INV-1001 has payments from its client. Remove its payments before changing the client.");
        ex.Field.ShouldBe(nameof(Invoice.ClientId));
        sut.ClientId.ShouldBe(7);

        sut.RemovePayment(sut.Payments[0], s_now);
        sut.Update(Drafts.Invoice(8, Drafts.Line(1, 100m)), s_now);
        sut.ClientId.ShouldBe(8);
    }

    [Theory]
    [InlineData("", "Invoice number is required.")]
    [InlineData("   ", "Invoice number is required.")]
    [InlineData("INV-123456789012345678", "Invoice number can be at most 21 characters.")]
    [InlineData("INV\n2", "Invoice number cannot contain tabs or line breaks.")]
    [InlineData("INV\t2", "Invoice number cannot contain tabs or line breaks.")]
    [InlineData("INV\u001B2", "Invoice number contains a control character (U+001B). Remove it.")]
    public void Constructor_BadNumber_IsRefused(string number, string message)
    {
        var draft = Drafts.Invoice(7, number, 0m, Drafts.Line(1, 1m));

        var ex = Should.Throw<DomainRuleException>(() => new Invoice(1, draft, s_now));

        ex.Message.ShouldBe(message);
        ex.Field.ShouldBe("Number");
    }

    [Fact]
    public void Constructor_NoClient_AsksToChooseOne()
    {
        Should.Throw<DomainRuleException>(() => new Invoice(1, Drafts.Invoice(0, Drafts.Line(1, 1m)), s_now)).Message.ShouldBe("Choose the client this invoice is for.");
    }

    [Fact]
    public void Constructor_NoLines_AsksForOne()
    {
        Should.Throw<DomainRuleException>(() => new Invoice(1, Drafts.Invoice(7), s_now)).Message.ShouldBe("Add at least one line to the invoice.");
    }

    [Fact]
    public void Constructor_DueBeforeIssue_IsRefused()
    {
        var draft = Drafts.Invoice(7, Drafts.Line(1, 1m)) with { DueDate = Drafts.Issued.AddDays(-1) };

        Should.Throw<DomainRuleException>(() => new Invoice(1, draft, s_now)).Message.ShouldBe("The due date cannot be before the issue date.");
    }

    [Theory]
    [InlineData("0001-01-01", "2026-01-01", "The issue date must be between 1900-01-01 and 2099-12-31.", "IssueDate")]
    [InlineData("1899-12-31", "1900-01-30", "The issue date must be between 1900-01-01 and 2099-12-31.", "IssueDate")]
    [InlineData("2026-01-01", "2100-01-01", "The due date must be between 1900-01-01 and 2099-12-31.", "DueDate")]
    [InlineData("2026-01-01", "9999-12-31", "The due date must be between 1900-01-01 and 2099-12-31.", "DueDate")]
    public void Constructor_DateOutsideTheYears1900To2099_IsRefusedAsATypo(string issued, string due, string message, string field)
    {
        var draft = Drafts.Invoice(7, Drafts.Line(1, 1m)) with { IssueDate = DateOnly.Parse(issued, CultureInfo.InvariantCulture), DueDate = DateOnly.Parse(due, CultureInfo.InvariantCulture) };

        var ex = Should.Throw<DomainRuleException>(() => new Invoice(1, draft, s_now));

        ex.Message.ShouldBe(message);
        ex.Field.ShouldBe(field);
    }

    [Fact]
    public void Constructor_FirstAndLastAcceptedDates_AreKept()
    {
        var sut = new Invoice(1, Drafts.Invoice(7, Drafts.Line(1, 1m)) with { IssueDate = new(1900, 1, 1), DueDate = new(2099, 12, 31) }, s_now);

        (sut.IssueDate, sut.DueDate).ShouldBe((new DateOnly(1900, 1, 1), new DateOnly(2099, 12, 31)));
    }

    [Fact]
    public void Constructor_LineAmountOverTenDigits_SaysQuickBooksLimit()
    {
        var draft = Drafts.Invoice(7, Drafts.Line(1, 1m), Drafts.Line(100, 100_000_000m));

        var ex = Should.Throw<DomainRuleException>(() => new Invoice(1, draft, s_now));

        ex.Message.ShouldBe("Line 2: the amount (quantity × unit price) can be at most 9,999,999,999.99, the most QuickBooks accepts on a line.");
        ex.Field.ShouldBe("Lines[1].Quantity");
        new Invoice(1, Drafts.Invoice(7, Drafts.Line(100, 99_999_999.99m)), s_now).Total.ShouldBe(9_999_999_999m);
    }

    [Fact]
    public void Constructor_MoreThan750LinesWithATaxableOne_IsRefused_WithoutTaxableLinesIsKept()
    {
        var lines = Enumerable.Range(1, 751).Select(i => Drafts.Line(1, 1m, taxable: i == 751)).ToArray();

        var ex = Should.Throw<DomainRuleException>(() => new Invoice(1, Drafts.Invoice(7, lines), s_now));

        ex.Message.ShouldBe("QuickBooks accepts at most 750 lines on an invoice with taxable lines; this one has 751. Split it into two invoices.");
        ex.Field.ShouldBe("Lines");
        new Invoice(1, Drafts.Invoice(7, [.. lines.Select(l => l with { Taxable = false })]), s_now).Lines.Count.ShouldBe(751);
        new Invoice(1, Drafts.Invoice(7, [.. lines.Take(750).Select(l => l with { Taxable = true })]), s_now).Lines.Count.ShouldBe(750);
    }

    [Theory]
    [InlineData(-1, 10, "Line 2: quantity cannot be negative.", "Lines[1].Quantity")]
    [InlineData(1, -10, "Line 2: unit price cannot be negative.", "Lines[1].UnitPrice")]
    [InlineData(1.00001, 10, "Line 2: quantity can have at most 4 decimal places.", "Lines[1].Quantity")]
    [InlineData(1, 10.001, "Line 2: unit price can have at most 2 decimal places (cents).", "Lines[1].UnitPrice")]
    public void Constructor_BadLine_NamesTheLineAndField(decimal quantity, decimal unitPrice, string message, string field)
    {
        var draft = Drafts.Invoice(7, Drafts.Line(1, 1m), Drafts.Line(quantity, unitPrice));

        var ex = Should.Throw<DomainRuleException>(() => new Invoice(1, draft, s_now));

        ex.Message.ShouldBe(message);
        ex.Field.ShouldBe(field);
    }

    [Fact]
    public void Constructor_LineWithoutItemOrDescription_IsRefused()
    {
        var draft = Drafts.Invoice(7, Drafts.Line(1, 1m, description: " "));

        Should.Throw<DomainRuleException>(() => new Invoice(1, draft, s_now)).Message.ShouldBe("Line 1: choose a catalog item or type a description.");
    }

    [Fact]
    public void Constructor_CatalogLineWithoutDescription_IsAccepted()
    {
        var sut = new Invoice(1, Drafts.Invoice(7, new InvoiceLineDraft(5, null, 1, 10m, false)), s_now);

        sut.Lines[0].CatalogItemId.ShouldBe(5);
        sut.Lines[0].Description.ShouldBe(string.Empty);
    }

    [Theory]
    [InlineData(-1, "Tax rate cannot be negative.")]
    [InlineData(100.5, "Tax rate can be at most 100%.")]
    public void Constructor_BadTaxRate_IsRefused(decimal rate, string message)
    {
        Should.Throw<DomainRuleException>(() => new Invoice(1, Drafts.Invoice(7, "INV-1", rate, Drafts.Line(1, 1m)), s_now)).Message.ShouldBe(message);
    }

    [Fact]
    public void Constructor_ZeroQuantityLine_IsAllowed()
    {
        var sut = new Invoice(1, Drafts.Invoice(7, Drafts.Line(0, 10m), Drafts.Line(1, 10m)), s_now);

        sut.Total.ShouldBe(10m);
    }

    [Fact]
    public void ToDraft_RoundTripsTheContent()
    {
        var draft = Drafts.Invoice(7, "INV-9", 8.25m, Drafts.Line(1.5m, 115m, false, "Labor"), Drafts.Line(1, 189.99m, true, "Thermostat", 3)) with { Memo = "Thanks" };
        var sut = new Invoice(1, draft, s_now);

        var roundTripped = sut.ToDraft();

        roundTripped.Lines.ShouldBe(draft.Lines);
        (roundTripped with { Lines = draft.Lines }).ShouldBe(draft);
    }
}

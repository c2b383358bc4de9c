using Jobkore.Core.Domain;
using Jobkore.Tests.TestSupport;

namespace Jobkore.Tests.Core.Domain;

public sealed class InvoiceTotalsTests
{
    [Fact]
    public void Calculate_MixedTaxableLines_TaxesOnlyTaxableSubtotal()
    {
        var sut = InvoiceTotals.Calculate([Drafts.Line(2, 115m), Drafts.Line(1, 189.99m, taxable: true)], 8.25m);

        sut.Subtotal.ShouldBe(419.99m);
        sut.TaxableSubtotal.ShouldBe(189.99m);
        sut.Tax.ShouldBe(15.67m); // 189.99 × 8.25% = 15.674175
        sut.Total.ShouldBe(435.66m);
    }

    [Theory]
    [InlineData(0.5, 0.05, 0.03)]   // 0.025 rounds away from zero
    [InlineData(3, 0.335, 1.01)]    // 1.005 rounds up, not to even
    [InlineData(1, 10.125, 10.13)]
    public void LineAmount_MidpointCents_RoundsHalfAwayFromZero(decimal quantity, decimal unitPrice, decimal expected)
    {
        // Unit prices with more than two decimals are refused by the rules; the rounding itself must still be right.
        var sut = new InvoiceLineDraft(null, "x", quantity, unitPrice, false);

        sut.Amount.ShouldBe(expected);
    }

    [Fact]
    public void Calculate_TaxAtMidpoint_RoundsHalfAwayFromZero()
    {
        // 10.00 × 12.5% = 1.25 exactly; 0.50 × 5% = 0.025 → 0.03
        InvoiceTotals.Calculate([Drafts.Line(1, 10m, taxable: true)], 12.5m).Tax.ShouldBe(1.25m);
        InvoiceTotals.Calculate([Drafts.Line(1, 0.5m, taxable: true)], 5m).Tax.ShouldBe(0.03m);
    }

    [Fact]
    public void Calculate_ManyLines_TaxComputedOnceOnTheSum()
    {
        // Per-line rounding would give 3 × 0.01 = 0.03; tax on the sum 0.30 × 5% = 0.015 → 0.02.
        var sut = InvoiceTotals.Calculate([Drafts.Line(1, 0.10m, true), Drafts.Line(1, 0.10m, true), Drafts.Line(1, 0.10m, true)], 5m);

        sut.Tax.ShouldBe(0.02m);
        sut.Total.ShouldBe(0.32m);
    }

    [Fact]
    public void Calculate_NoLines_IsZero()
    {
        var sut = InvoiceTotals.Calculate([], 8.25m);

        sut.ShouldBe(new InvoiceTotals(0, 0, 0, 0));
    }
}

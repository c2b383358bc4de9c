using Jobkore.Core.Invoices;

namespace Jobkore.Tests.Core.Invoices;

public sealed class InvoiceNumbersTests
{
    [Theory]
    [InlineData(new[] { "INV-1001", "INV-1040", "INV-999" }, "INV-1041")]
    [InlineData(new[] { "INV-0099" }, "INV-0100")]
    [InlineData(new[] { "2026-17", "A-3" }, "2026-18")]
    [InlineData(new[] { "42" }, "43")]
    [InlineData(new[] { "Deposit", "Misc" }, null)]
    [InlineData(new string[0], null)]
    public void Next_ExistingNumbers_ContinuesTheHighest(string[] existing, string? expected)
    {
        InvoiceNumbers.Next(existing).ShouldBe(expected);
    }
}

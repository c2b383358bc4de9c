using Jobkore.Core.Domain;
using Jobkore.Tests.TestSupport;

namespace Jobkore.Tests.Core.Domain;

public sealed class CatalogItemTests
{
    [Fact]
    public void Constructor_ValidDetails_KeepsThem()
    {
        var sut = new CatalogItem(1, new CatalogItemDetails(" Drain cleaning ", "Up to 100 ft", 245m, Taxable: false, Active: true), TestServices.Now);

        sut.Details.ShouldBe(new CatalogItemDetails("Drain cleaning", "Up to 100 ft", 245m, false, true));
    }

    [Theory]
    [InlineData("", 1, "Name is required.")]
    [InlineData("Valve", -0.01, "Unit price cannot be negative.")]
    [InlineData("Valve", 1.999, "Unit price can have at most 2 decimal places (cents).")]
    public void Constructor_BadDetails_IsRefused(string name, decimal price, string message)
    {
        Should.Throw<DomainRuleException>(() => new CatalogItem(1, new CatalogItemDetails(name, null, price, false, true), TestServices.Now)).Message.ShouldBe(message);
    }

    [Fact]
    public void Constructor_FreeItem_IsAllowed()
    {
        new CatalogItem(1, new CatalogItemDetails("Warranty visit", null, 0m, false, true), TestServices.Now).UnitPrice.ShouldBe(0m);
    }
}

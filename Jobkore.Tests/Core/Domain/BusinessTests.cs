using Jobkore.Core.Domain;
using Jobkore.Tests.TestSupport;

namespace Jobkore.Tests.Core.Domain;

public sealed class BusinessTests
{
    [Fact]
    public void Constructor_ValidValues_NormalizesCurrency()
    {
        var sut = new Business("Acme Plumbing & Heating", "usd", "America/Chicago", TestServices.Now);

        sut.Currency.ShouldBe("USD");
        sut.TimeZoneId.ShouldBe("America/Chicago");
    }

    [Fact]
    public void Constructor_UnknownTimeZone_SaysWhatToUse()
    {
        Should.Throw<DomainRuleException>(() => new Business("Acme", "USD", "Mars/Olympus", TestServices.Now))
            .Message.ShouldBe("'Mars/Olympus' is not a known time zone; use an IANA id such as America/Chicago.");
    }

    [Theory]
    [InlineData("US")]
    [InlineData("US1")]
    [InlineData("")]
    public void Constructor_BadCurrency_IsRefused(string currency)
    {
        Should.Throw<DomainRuleException>(() => new Business("Acme", currency, "UTC", TestServices.Now))
            .Message.ShouldBe("Currency must be a three-letter ISO 4217 code such as USD.");
    }
}

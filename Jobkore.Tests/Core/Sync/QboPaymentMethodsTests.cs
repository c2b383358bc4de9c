using Jobkore.Core.Domain;
using Jobkore.Core.Sync.Projection;

namespace Jobkore.Tests.Core.Sync;

public sealed class QboPaymentMethodsTests
{
    private static readonly Dictionary<string, string> s_sandboxMethods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Cash"] = "1", ["Check"] = "2", ["Credit Card"] = "3", ["Bank Transfer"] = "4", ["Other"] = "5",
    };

    [Theory]
    [InlineData(PaymentMethod.Cash, "1")]
    [InlineData(PaymentMethod.Check, "2")]
    [InlineData(PaymentMethod.Card, "3")]
    [InlineData(PaymentMethod.BankTransfer, "4")]
    [InlineData(PaymentMethod.Other, "5")]
    public void IdOf_EachMethod_IsTheCompanysMethodOfThatName(PaymentMethod method, string id) =>
        QboPaymentMethods.IdOf(method, s_sandboxMethods).ShouldBe(id);

    [Fact]
    public void IdOf_CompanyWithOtherNames_TakesTheFirstItHas()
    {
        var canadian = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["cheque"] = "7", ["Card"] = "8", ["EFT"] = "9" };

        QboPaymentMethods.IdOf(PaymentMethod.Check, canadian).ShouldBe("7");
        QboPaymentMethods.IdOf(PaymentMethod.Card, canadian).ShouldBe("8");
        QboPaymentMethods.IdOf(PaymentMethod.BankTransfer, canadian).ShouldBe("9");
    }

    [Fact]
    public void IdOf_CompanyWithoutTheMethod_IsNull() =>
        QboPaymentMethods.IdOf(PaymentMethod.Cash, new Dictionary<string, string> { ["Credit Card"] = "3" }).ShouldBeNull();
}

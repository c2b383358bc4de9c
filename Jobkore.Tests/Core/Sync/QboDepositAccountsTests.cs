using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Settings;
using Jobkore.Core.Sync.Projection;

namespace Jobkore.Tests.Core.Sync;

public sealed class QboDepositAccountsTests
{
    private const string Realm = "9341452713218474";
    private static readonly ChosenAccount s_checking = new(Realm, "35", "Checking");
    private static readonly ChosenAccount s_savings = new(Realm, "36", "Savings");

    private static readonly QuickBooksSettingsView s_settings = new(false, s_savings, null)
    {
        DepositRules = new Dictionary<PaymentMethod, ChosenAccount> { [PaymentMethod.Card] = s_checking },
    };

    [Fact]
    public void IdFor_NotInQuickBooks_MethodWithARule_IsTheRulesAccount() =>
        QboDepositAccounts.IdFor(s_settings, PaymentMethod.Card, heldInQuickBooks: null).ShouldBe("35");

    [Theory]
    [InlineData(PaymentMethod.Cash)]
    [InlineData(PaymentMethod.Check)]
    [InlineData(PaymentMethod.BankTransfer)]
    [InlineData(PaymentMethod.Other)]
    public void IdFor_NotInQuickBooks_MethodWithoutARule_IsTheDefault(PaymentMethod method) =>
        QboDepositAccounts.IdFor(s_settings, method, heldInQuickBooks: null).ShouldBe("36");

    [Fact]
    public void IdFor_NoRuleAndNoDefault_LeavesItToQuickBooks() =>
        QboDepositAccounts.IdFor(s_settings with { DepositAccount = null }, PaymentMethod.Cash, heldInQuickBooks: null).ShouldBeNull();

    [Fact]
    public void IdFor_InQuickBooks_KeepsTheAccountItIsIn_WhateverTheRuleSays() =>
        QboDepositAccounts.IdFor(s_settings, PaymentMethod.Card, heldInQuickBooks: "4").ShouldBe("4");

    [Fact]
    public void HeldIn_ReadsTheDepositAccountOfTheKeptQuickBooksFields()
    {
        var kept = new QboOwnedValues([new("amount", "10.00"), new(QboDepositAccounts.DepositAccountField, "35")]).ToJson();

        QboDepositAccounts.HeldIn(kept).ShouldBe("35");
        QboDepositAccounts.HeldIn(null).ShouldBeNull("not in QuickBooks, or synced before the fields were kept");
    }

    [Fact]
    public void DepositAccountFor_ARuleOfOneMethod_LeavesTheOthersOnTheDefault()
    {
        s_settings.DepositAccountFor(PaymentMethod.Card).ShouldBe(s_checking);
        s_settings.DepositAccountFor(PaymentMethod.Check).ShouldBe(s_savings);
    }
}

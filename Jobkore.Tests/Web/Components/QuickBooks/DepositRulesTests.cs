using Bunit;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Settings;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Settings.QuickBooks;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace Jobkore.Tests.Web.Components.QuickBooks;

/// <summary>The "Deposit account by payment method" section of the QuickBooks settings page.</summary>
public sealed class DepositRulesTests : JobkoreBunitContext
{
    private const string Realm = "9341452713218474";
    private static readonly string[] s_labels =
    [
        "Deposit account for cash payments", "Deposit account for check payments", "Deposit account for card payments",
        "Deposit account for bank transfer payments", "Deposit account for other payments",
    ];

    private static readonly string[] s_savingsDefaultOptions = ["Same as default (Savings)", "Undeposited Funds", "Checking", "Savings"];

    private readonly FakeQuickBooksAccounts _accounts = new();
    private IRenderedComponent<MudPopoverProvider>? _popovers;

    public DepositRulesTests()
        : base(seedDemoData: false)
    {
        Services.AddScoped<IQuickBooksAccounts>(_ => _accounts);
    }

    private async Task<IRenderedComponent<QuickBooksSettingsPage>> RenderConnectedAsync()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        return RenderPage();
    }

    private IRenderedComponent<QuickBooksSettingsPage> RenderPage()
    {
        _popovers ??= Render<MudPopoverProvider>();
        var cut = Render<QuickBooksSettingsPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=deposit-rules]"));
        return cut;
    }

    private static IRenderedComponent<MudSelect<string>> Rule(IRenderedComponent<QuickBooksSettingsPage> cut, PaymentMethod method) =>
        cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == s_labels[(int)method]);

    private async Task SaveAsync(string? realmId, QuickBooksSettingsInput input)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<QuickBooksSettingsService>().SaveAsync(realmId, input, Xunit.TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Connected_ShowsARowPerMethod_EachSameAsDefault_WithTheNoteAboutPaymentsAlreadySent()
    {
        var cut = await RenderConnectedAsync();

        var rules = cut.FindComponent<DepositRules>();
        rules.FindComponents<MudSelect<string>>().Select(s => s.Instance.Label).ShouldBe(s_labels);
        rules.FindComponents<MudSelect<string>>().ShouldAllBe(s => s.Instance.GetState(x => x.Value) == DepositRules.SameAsDefault && !s.Instance.Disabled);
        rules.Find("#deposit-rules-title").TextContent.ShouldBe("Deposit account by payment method");
        rules.Find("section").GetAttribute("aria-labelledby").ShouldBe("deposit-rules-title");
        cut.Find("[data-testid=deposit-rules-note]").TextContent.Trim()
            .ShouldBe("Changes apply to payments not yet sent to QuickBooks; payments already in QuickBooks keep their account.");
        Rule(cut, PaymentMethod.Card).Find("input").GetAttribute("value").ShouldBe("Same as default (Undeposited Funds)");
    }

    [Fact]
    public async Task OpenedRow_OffersSameAsDefaultNamingTheDefault_AndTheDepositAccountsOnly()
    {
        await SaveAsync(Realm, new QuickBooksSettingsInput(false, "3", null));
        var cut = await RenderConnectedAsync();

        await Rule(cut, PaymentMethod.Card).Find("div.mud-input-control").MouseDownAsync(new());

        var popovers = _popovers.ShouldNotBeNull();
        popovers.WaitForAssertion(() => popovers.FindAll("div.mud-list-item").Select(i => i.TextContent.Trim())
            .ShouldBe(s_savingsDefaultOptions));
    }

    [Fact]
    public async Task ChangingTheDefault_RenamesSameAsDefault()
    {
        var cut = await RenderConnectedAsync();

        await cut.InvokeAsync(() => cut.FindComponents<MudSelect<string>>()[0].Instance.ValueChanged.InvokeAsync("2"));

        cut.WaitForAssertion(() => Rule(cut, PaymentMethod.Cash).Find("input").GetAttribute("value").ShouldBe("Same as default (Checking)"));
    }

    [Fact]
    public async Task Save_CardToChecking_CashToUndepositedFunds_IsStoredForTheCompany_AndShownAgain()
    {
        var cut = await RenderConnectedAsync();
        await cut.InvokeAsync(() => cut.FindComponents<MudSelect<string>>()[0].Instance.ValueChanged.InvokeAsync("3"));
        await cut.InvokeAsync(() => Rule(cut, PaymentMethod.Card).Instance.ValueChanged.InvokeAsync("2"));
        await cut.InvokeAsync(() => Rule(cut, PaymentMethod.Cash).Instance.ValueChanged.InvokeAsync("4"));
        await cut.InvokeAsync(() => Rule(cut, PaymentMethod.Check).Instance.ValueChanged.InvokeAsync("2"));
        await cut.InvokeAsync(() => Rule(cut, PaymentMethod.Check).Instance.ValueChanged.InvokeAsync(DepositRules.SameAsDefault));

        await cut.Find("[data-testid=save-settings]").ClickAsync(new());

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=settings-error]").ShouldBeEmpty());
        await using var scope = Services.CreateAsyncScope();
        var saved = await scope.ServiceProvider.GetRequiredService<QuickBooksSettingsService>().GetAsync(Realm, Xunit.TestContext.Current.CancellationToken);
        saved.DepositRules.Count.ShouldBe(2);
        saved.DepositRules[PaymentMethod.Cash].ShouldBe(new ChosenAccount(Realm, "4", "Undeposited Funds"));
        saved.DepositRules[PaymentMethod.Card].ShouldBe(new ChosenAccount(Realm, "2", "Checking"));
        saved.DepositAccountFor(PaymentMethod.Check).ShouldBe(new ChosenAccount(Realm, "3", "Savings"));

        var reloaded = RenderPage();
        Rule(reloaded, PaymentMethod.Card).Instance.GetState(x => x.Value).ShouldBe("2");
        Rule(reloaded, PaymentMethod.Cash).Instance.GetState(x => x.Value).ShouldBe("4");
        Rule(reloaded, PaymentMethod.Check).Instance.GetState(x => x.Value).ShouldBe(DepositRules.SameAsDefault);
        Rule(reloaded, PaymentMethod.Check).Find("input").GetAttribute("value").ShouldBe("Same as default (Savings)");
    }

    [Fact]
    public async Task Staff_SeeTheRulesReadOnly()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        await SaveAsync(Realm, new QuickBooksSettingsInput(false, null, null) { DepositRules = new Dictionary<PaymentMethod, string> { [PaymentMethod.Card] = "2" } });
        Services.GetRequiredService<TestCurrentUser>().IsAdmin = false;

        var cut = RenderPage();

        var rules = cut.FindComponent<DepositRules>().FindComponents<MudSelect<string>>();
        rules.Count.ShouldBe(5);
        rules.ShouldAllBe(s => s.Instance.Disabled);
        Rule(cut, PaymentMethod.Card).Instance.GetState(x => x.Value).ShouldBe("2");
        cut.FindAll("[data-testid=save-settings]").ShouldBeEmpty();
    }

    [Fact]
    public async Task RuleChosenInAnotherCompany_IsNotShownAsChosen()
    {
        await SaveAsync("4620816365157002117", new QuickBooksSettingsInput(false, null, null) { DepositRules = new Dictionary<PaymentMethod, string> { [PaymentMethod.Card] = "2" } });

        var cut = await RenderConnectedAsync();

        Rule(cut, PaymentMethod.Card).Instance.GetState(x => x.Value).ShouldBe(DepositRules.SameAsDefault);
        Rule(cut, PaymentMethod.Card).Find("input").GetAttribute("value").ShouldBe("Same as default (Undeposited Funds)");
    }

    [Fact]
    public async Task SavedRuleAccountMadeInactiveInQuickBooks_IsPointedOut_AndShownAsSameAsDefault()
    {
        await SaveAsync(Realm, new QuickBooksSettingsInput(false, null, null) { DepositRules = new Dictionary<PaymentMethod, string> { [PaymentMethod.Check] = "3" } });
        _accounts.Accounts[2] = _accounts.Accounts[2] with { IsActive = false };

        var cut = await RenderConnectedAsync();

        cut.Find("[data-testid=inactive-deposit-rules]").TextContent.ShouldContain("Check: \"Savings\"");
        Rule(cut, PaymentMethod.Check).Instance.GetState(x => x.Value).ShouldBe(DepositRules.SameAsDefault);
    }
}

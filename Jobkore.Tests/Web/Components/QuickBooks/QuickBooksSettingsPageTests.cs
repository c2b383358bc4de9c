using Bunit;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Settings;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Settings.QuickBooks;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace Jobkore.Tests.Web.Components.QuickBooks;

public sealed class QuickBooksSettingsPageTests : JobkoreBunitContext
{
    private const string Realm = "9341452713218474";
    private readonly FakeQuickBooksAccounts _accounts = new();

    public QuickBooksSettingsPageTests()
        : base(seedDemoData: false)
    {
        Services.AddScoped<IQuickBooksAccounts>(_ => _accounts);
    }

    private async Task<IRenderedComponent<QuickBooksSettingsPage>> RenderConnectedAsync()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        Render<MudPopoverProvider>();
        var cut = Render<QuickBooksSettingsPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=save-settings]"));
        return cut;
    }

    [Fact]
    public async Task Connected_ListsBankAccountsAndUndepositedFundsAsTheDefault_AndServicesForIncome()
    {
        var cut = await RenderConnectedAsync();

        var deposit = cut.FindComponents<MudSelect<string>>()[0];
        deposit.Instance.GetState(x => x.Value).ShouldBe("4");
        deposit.Markup.ShouldContain("Undeposited Funds (QuickBooks' default)");
        deposit.Markup.ShouldContain("Ask your accountant if you're unsure which to select");
        cut.FindComponents<MudSelect<string>>()[1].Instance.GetState(x => x.Value).ShouldBe("1");
        cut.Markup.ShouldContain("Auto-sync is off");
    }

    [Fact]
    public async Task Save_CheckingAndAutoSync_IsStoredForTheCompany()
    {
        var cut = await RenderConnectedAsync();

        await cut.InvokeAsync(() => cut.FindComponents<MudSelect<string>>()[0].Instance.ValueChanged.InvokeAsync("2"));
        await cut.InvokeAsync(() => cut.FindComponent<MudSwitch<bool>>().Instance.ValueChanged.InvokeAsync(true));
        await cut.Find("[data-testid=save-settings]").ClickAsync(new());

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=settings-error]").ShouldBeEmpty());
        await using var scope = Services.CreateAsyncScope();
        var saved = await scope.ServiceProvider.GetRequiredService<QuickBooksSettingsService>().GetAsync(Realm, Xunit.TestContext.Current.CancellationToken);
        saved.AutoSync.ShouldBeTrue();
        saved.DepositAccount.ShouldBe(new ChosenAccount(Realm, "2", "Checking"));
        saved.IncomeAccount.ShouldBe(new ChosenAccount(Realm, "1", "Services"));

        var reloaded = Render<QuickBooksSettingsPage>();
        reloaded.WaitForAssertion(() => reloaded.FindComponents<MudSelect<string>>()[0].Instance.GetState(x => x.Value).ShouldBe("2"));
    }

    [Fact]
    public async Task SavedDepositAccount_MadeInactiveInQuickBooks_IsPointedOut()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<QuickBooksSettingsService>()
                .SaveAsync(Realm, new QuickBooksSettingsInput(true, "3", null), Xunit.TestContext.Current.CancellationToken);
        }

        _accounts.Accounts[2] = _accounts.Accounts[2] with { IsActive = false };
        Render<MudPopoverProvider>();
        var cut = Render<QuickBooksSettingsPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=inactive-deposit-account]").TextContent.ShouldContain("\"Savings\" is no longer active in QuickBooks"));
    }

    [Fact]
    public async Task Save_AnAccountThatBecameInactiveMeanwhile_IsRefusedWithAMessage()
    {
        var cut = await RenderConnectedAsync();
        await cut.InvokeAsync(() => cut.FindComponents<MudSelect<string>>()[0].Instance.ValueChanged.InvokeAsync("3"));
        _accounts.Accounts[2] = _accounts.Accounts[2] with { IsActive = false };

        await cut.Find("[data-testid=save-settings]").ClickAsync(new());

        cut.WaitForAssertion(() => cut.Find("[data-testid=settings-error]").TextContent.ShouldContain("\"Savings\" is inactive in QuickBooks"));
    }

    [Fact]
    public async Task Staff_SeeTheSettingsReadOnly()
    {
        Services.GetRequiredService<TestCurrentUser>().IsAdmin = false;
        await SeedQuickBooksConnectionAsync(Realm);
        Render<MudPopoverProvider>();

        var cut = Render<QuickBooksSettingsPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=read-only-hint]"));
        cut.FindAll("[data-testid=save-settings]").ShouldBeEmpty();
        cut.FindComponents<MudSelect<string>>().ShouldAllBe(s => s.Instance.Disabled);
    }

    [Fact]
    public void NotConnected_SaysSoAndOffersNoAccounts()
    {
        var cut = Render<QuickBooksSettingsPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=not-connected]"));
        cut.FindComponents<MudSelect<string>>().ShouldBeEmpty();
    }

    [Fact]
    public async Task AccountsCannotBeRead_SaysWhyAndOffersToTryAgain()
    {
        _accounts.Failure = new QuickBooksException(new QuickBooksError(QuickBooksErrorKind.Transient, 503, null, null, "QuickBooks is temporarily unavailable.", null, "tid-1"));
        await SeedQuickBooksConnectionAsync(Realm);

        var cut = Render<QuickBooksSettingsPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=accounts-error]").TextContent.ShouldContain("QuickBooks is temporarily unavailable."));
        cut.Find("[data-testid=save-settings]").HasAttribute("disabled").ShouldBeTrue();
    }
}

using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.QuickBooks.Settings;

/// <summary>
/// The business's sync settings: auto-sync, the deposit account for payments and the income account for new catalog
/// items. Admins change them; a chosen account is checked against the company's chart of accounts before it is saved.
/// </summary>
public sealed class QuickBooksSettingsService(
    IDbContextFactory<JobkoreDbContext> dbFactory,
    ICurrentBusiness currentBusiness,
    ICurrentUser currentUser,
    IQuickBooksAccounts accounts)
{
    public const string PreferredIncomeAccount = "Services";

    public Task<bool> CanChangeAsync() => currentUser.IsAllowedAsync(Policies.IntegrationAdmin);

    /// <summary>The settings as they apply to <paramref name="realmId"/>: accounts picked in another company count as not chosen.</summary>
    public async Task<QuickBooksSettingsView> GetAsync(string? realmId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var settings = await db.QuickBooksSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return settings is null ? new QuickBooksSettingsView(false, null, null) : View(settings, realmId);
    }

    /// <summary>
    /// Saves the settings. With <paramref name="realmId"/> (the connected company) the accounts are checked against its
    /// chart of accounts and saved: a null deposit account means QuickBooks' default, Undeposited Funds; a null income
    /// account means <see cref="DefaultIncomeAccount"/>; <see cref="QuickBooksSettingsInput.DepositRules"/> replace the
    /// rules when given (a method left out is "same as the default"). Without it only auto-sync changes and the accounts
    /// and rules stay as they were.
    /// </summary>
    public async Task<QuickBooksSettingsView> SaveAsync(string? realmId, QuickBooksSettingsInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        await currentUser.EnsureAllowedAsync(Policies.IntegrationAdmin, "change the QuickBooks settings");

        ChosenAccount? deposit = null, income = null;
        List<DepositRule> rules = [];
        if (realmId is not null && (input.DepositAccountId is not null || input.IncomeAccountId is not null || input.DepositRules is { Count: > 0 }))
        {
            var chart = await accounts.ListAsync(cancellationToken);
            deposit = Choose(chart, input.DepositAccountId, QuickBooksAccountUse.Deposit, realmId, "deposit account", nameof(input.DepositAccountId));
            income = Choose(chart, input.IncomeAccountId, QuickBooksAccountUse.Income, realmId, "income account", nameof(input.IncomeAccountId));
            foreach (var (method, accountId) in (input.DepositRules ?? new Dictionary<PaymentMethod, string>()).OrderBy(r => r.Key))
            {
                var label = $"deposit account for {Words(method)} payments";
                rules.Add(new DepositRule(method, Choose(chart, accountId, QuickBooksAccountUse.Deposit, realmId, label, nameof(input.DepositRules))!));
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var settings = await db.QuickBooksSettings.SingleOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new QuickBooksSettings(currentBusiness.Profile.Id);
            db.QuickBooksSettings.Add(settings);
        }

        settings.SetAutoSync(input.AutoSync);
        if (realmId is not null)
        {
            settings.ChooseAccounts(deposit, income);
            if (input.DepositRules is not null)
            {
                settings.ChooseDepositRules(rules);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return View(settings, realmId);
    }

    /// <summary>"Services" when the company has an active Income account of that name, else its first active Income account.</summary>
    public static QuickBooksAccount? DefaultIncomeAccount(IEnumerable<QuickBooksAccount> chart)
    {
        var income = chart.Where(a => a.Use == QuickBooksAccountUse.Income && a.IsActive).ToList();
        return income.FirstOrDefault(a => string.Equals(a.Name, PreferredIncomeAccount, StringComparison.OrdinalIgnoreCase)) ?? income.FirstOrDefault();
    }

    private static string Words(PaymentMethod method) => method switch
    {
        PaymentMethod.Cash => "cash",
        PaymentMethod.Check => "check",
        PaymentMethod.Card => "card",
        PaymentMethod.BankTransfer => "bank transfer",
        _ => "other",
    };

    private static QuickBooksSettingsView View(QuickBooksSettings settings, string? realmId) => realmId is null
        ? new QuickBooksSettingsView(settings.AutoSync, null, null)
        : new QuickBooksSettingsView(settings.AutoSync, settings.DepositAccountFor(realmId), settings.IncomeAccountFor(realmId)) { DepositRules = settings.DepositRulesFor(realmId) };

    private static ChosenAccount? Choose(IReadOnlyList<QuickBooksAccount> chart, string? id, QuickBooksAccountUse use, string realmId, string what, string field)
    {
        if (id is null)
        {
            return null;
        }

        var account = chart.FirstOrDefault(a => a.Id == id && a.Use == use)
            ?? throw new DomainRuleException($"The chosen {what} is not in this QuickBooks company any more. Press refresh and choose again.", field);
        if (!account.IsActive)
        {
            throw new DomainRuleException($"The {what} \"{account.Name}\" is inactive in QuickBooks. Choose an active account, or make it active in QuickBooks first.", field);
        }

        return new ChosenAccount(realmId, account.Id, account.Name);
    }
}

public sealed record QuickBooksSettingsInput(bool AutoSync, string? DepositAccountId, string? IncomeAccountId)
{
    /// <summary>The account id for each payment method with a rule of its own; null leaves the saved rules as they are.</summary>
    public IReadOnlyDictionary<PaymentMethod, string>? DepositRules { get; init; }
}

/// <summary>Null accounts mean the defaults: Undeposited Funds for deposits, <see cref="QuickBooksSettingsService.DefaultIncomeAccount"/> for income.</summary>
public sealed record QuickBooksSettingsView(bool AutoSync, ChosenAccount? DepositAccount, ChosenAccount? IncomeAccount)
{
    /// <summary>The methods with an account of their own in this company; the others use <see cref="DepositAccount"/>.</summary>
    public IReadOnlyDictionary<PaymentMethod, ChosenAccount> DepositRules { get; init; } = new Dictionary<PaymentMethod, ChosenAccount>();

    /// <summary>Where a payment of <paramref name="method"/> not yet in QuickBooks goes: its method's account, else the default; null for QuickBooks' own default (Undeposited Funds).</summary>
    public ChosenAccount? DepositAccountFor(PaymentMethod method) => DepositRules.GetValueOrDefault(method) ?? DepositAccount;
}

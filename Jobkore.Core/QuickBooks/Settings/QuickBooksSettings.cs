using Jobkore.Core.Domain;

namespace Jobkore.Core.QuickBooks.Settings;

/// <summary>
/// A business's sync settings. The chosen accounts belong to the company they were picked in: an account of
/// another company counts as not chosen.
/// </summary>
public sealed class QuickBooksSettings : IBusinessOwned
{
    private readonly List<DepositRule> _depositRules = [];

    private QuickBooksSettings()
    {
    }

    public QuickBooksSettings(int businessId)
    {
        BusinessId = businessId;
    }

    public int Id { get; private set; }

    public int BusinessId { get; private set; }

    /// <summary>Pushes waiting documents once a day; off means only Sync Now, re-sync and retry send anything.</summary>
    public bool AutoSync { get; private set; }

    /// <summary>The business's local date of the last daily auto-sync, so it runs once a day.</summary>
    public DateOnly? LastAutoSyncOn { get; private set; }

    public ChosenAccount? DepositAccount { get; private set; }

    public ChosenAccount? IncomeAccount { get; private set; }

    /// <summary>The payment methods whose payments go to an account of their own; a method without a rule uses <see cref="DepositAccount"/>.</summary>
    public IReadOnlyList<DepositRule> DepositRules => _depositRules;

    public void SetAutoSync(bool on) => AutoSync = on;

    public void ChooseAccounts(ChosenAccount? depositAccount, ChosenAccount? incomeAccount)
    {
        DepositAccount = depositAccount;
        IncomeAccount = incomeAccount;
    }

    /// <summary>Replaces the rules: one account per method at most; a method left out is "same as the default".</summary>
    public void ChooseDepositRules(IEnumerable<DepositRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var chosen = rules.ToList();
        if (chosen.GroupBy(r => r.Method).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Two deposit rules for {twice.Key} payments.", nameof(rules));
        }

        _depositRules.Clear();
        _depositRules.AddRange(chosen);
    }

    /// <summary>The rules chosen in <paramref name="realmId"/>: a rule chosen in another company counts as not chosen.</summary>
    public IReadOnlyDictionary<PaymentMethod, ChosenAccount> DepositRulesFor(string realmId) =>
        _depositRules.Where(r => r.RealmId == realmId).ToDictionary(r => r.Method, r => r.Account);

    /// <summary>The deposit account for <paramref name="realmId"/>, or null for QuickBooks' default (Undeposited Funds).</summary>
    public ChosenAccount? DepositAccountFor(string realmId) => DepositAccount?.RealmId == realmId ? DepositAccount : null;

    public ChosenAccount? IncomeAccountFor(string realmId) => IncomeAccount?.RealmId == realmId ? IncomeAccount : null;
}

/// <summary>Payments of <see cref="Method"/> are deposited to an account of their own, in the company it was picked in.</summary>
public sealed class DepositRule
{
    private DepositRule()
    {
        RealmId = AccountId = AccountName = string.Empty;
    }

    public DepositRule(PaymentMethod method, ChosenAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        Method = method;
        RealmId = account.RealmId;
        AccountId = account.Id;
        AccountName = account.Name;
    }

    public PaymentMethod Method { get; private set; }

    public string RealmId { get; private set; }

    public string AccountId { get; private set; }

    public string AccountName { get; private set; }

    public ChosenAccount Account => new(RealmId, AccountId, AccountName);
}

/// <summary>A QBO account picked in settings: its company, id, and name as it was shown.</summary>
public sealed record ChosenAccount(string RealmId, string Id, string Name);

using Jobkore.Core.Domain;

namespace Jobkore.Core.QuickBooks.Settings;

/// <summary>
/// A business's sync settings. The chosen accounts belong to the company they were picked in: an account of
/// another company counts as not chosen.
/// </summary>
public sealed class QuickBooksSettings : IBusinessOwned
{
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

    public void SetAutoSync(bool on) => AutoSync = on;

    public void ChooseAccounts(ChosenAccount? depositAccount, ChosenAccount? incomeAccount)
    {
        DepositAccount = depositAccount;
        IncomeAccount = incomeAccount;
    }

    /// <summary>The deposit account for <paramref name="realmId"/>, or null for QuickBooks' default (Undeposited Funds).</summary>
    public ChosenAccount? DepositAccountFor(string realmId) => DepositAccount?.RealmId == realmId ? DepositAccount : null;

    public ChosenAccount? IncomeAccountFor(string realmId) => IncomeAccount?.RealmId == realmId ? IncomeAccount : null;
}

/// <summary>A QBO account picked in settings: its company, id, and name as it was shown.</summary>
public sealed record ChosenAccount(string RealmId, string Id, string Name);

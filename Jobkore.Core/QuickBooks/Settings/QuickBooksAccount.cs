namespace Jobkore.Core.QuickBooks.Settings;

/// <summary>An account of the connected company's chart of accounts, as the settings dropdowns list it.</summary>
public sealed record QuickBooksAccount(string Id, string Name, QuickBooksAccountUse Use, bool IsActive, bool IsUndepositedFunds);

/// <summary>What an account can be chosen for in settings.</summary>
public enum QuickBooksAccountUse
{
    /// <summary>A Bank or Other Current Asset account (Undeposited Funds is one): what QuickBooks takes as a payment's deposit account.</summary>
    Deposit,

    /// <summary>An Income account: what a new catalog item's sales are booked to.</summary>
    Income,
}

/// <summary>Reads the connected company's accounts that settings can choose from.</summary>
public interface IQuickBooksAccounts
{
    /// <summary>Active and inactive accounts, so a choice that became inactive can be pointed out.</summary>
    Task<IReadOnlyList<QuickBooksAccount>> ListAsync(CancellationToken cancellationToken);
}

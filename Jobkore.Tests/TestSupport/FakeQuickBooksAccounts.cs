using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Settings;

namespace Jobkore.Tests.TestSupport;

/// <summary>A company's chart of accounts for the settings page: two Income, two Bank accounts and Undeposited Funds, or a failure.</summary>
internal sealed class FakeQuickBooksAccounts : IQuickBooksAccounts
{
    public List<QuickBooksAccount> Accounts { get; } =
    [
        new("1", "Services", QuickBooksAccountUse.Income, true, false),
        new("2", "Checking", QuickBooksAccountUse.Deposit, true, false),
        new("3", "Savings", QuickBooksAccountUse.Deposit, true, false),
        new("4", "Undeposited Funds", QuickBooksAccountUse.Deposit, true, true),
        new("5", "Sales of Product Income", QuickBooksAccountUse.Income, true, false),
    ];

    public QuickBooksException? Failure { get; set; }

    public Task<IReadOnlyList<QuickBooksAccount>> ListAsync(CancellationToken cancellationToken) =>
        Failure is null ? Task.FromResult<IReadOnlyList<QuickBooksAccount>>([.. Accounts]) : Task.FromException<IReadOnlyList<QuickBooksAccount>>(Failure);
}

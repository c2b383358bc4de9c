using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.QuickBooks.Queries;

namespace Jobkore.Core.QuickBooks.Settings;

/// <summary>The company's Bank, Other Current Asset (Undeposited Funds among them) and Income accounts, read from QBO with one query.</summary>
public sealed class QuickBooksAccounts(QboApiClient client, QuickBooksConnectionService connections) : IQuickBooksAccounts
{
    public async Task<IReadOnlyList<QuickBooksAccount>> ListAsync(CancellationToken cancellationToken)
    {
        var company = await connections.GetCompanyAsync(cancellationToken);
        var query = QboQuery.SelectAll("Account").WhereIn("AccountType", ["Bank", "Other Current Asset", "Income"]).IncludingInactive()
            .OrderBy("Name").Page(1, QboQuery.MaxPageSize);
        var response = await client.QueryAsync(company, query, cancellationToken);
        return [.. (response.Account ?? [])
            .Where(a => a.Id is not null && a.Name is not null)
            .Select(a => (Account: a, Undeposited: a.AccountSubType == "UndepositedFunds"))
            .Select(a => new QuickBooksAccount(a.Account.Id!, a.Account.FullyQualifiedName ?? a.Account.Name!,
                a.Account.AccountType == "Income" ? QuickBooksAccountUse.Income : QuickBooksAccountUse.Deposit, a.Account.Active != false, a.Undeposited))];
    }
}

using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.QuickBooks.Queries;
using Jobkore.Core.QuickBooks.Settings;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// What a run asks QuickBooks before it writes: records of the names and numbers it is about to send (to link rather
/// than duplicate), the payment methods and the income account — in bulk, <c>IN (…)</c> a few dozen values at a time,
/// each asked once a run (reads are metered by Intuit, docs/quickbooks-api.md §10).
/// </summary>
internal sealed class SyncLookups(QboApiClient qbo, QboCompany company, SyncRecorder recorder, QuickBooksSettingsView settings)
{
    /// <summary>At most this many names or numbers go into one <c>IN (…)</c> look-up query.</summary>
    private const int LookupChunk = 40;

    /// <summary>
    /// And at most this many characters of quoted values, URL-encoded: the statement travels in the query string, and
    /// servers refuse long request lines (Kestrel, which serves the sandbox, at 8 KB). Intuit publishes no limit (docs/quickbooks-api.md §2).
    /// </summary>
    private const int LookupChunkLength = 4_000;

    private Task<Dictionary<string, string>>? _paymentMethods;
    private Task<string>? _incomeAccount;
    private Task<IReadOnlyList<QboCustomer>>? _customers;

    /// <summary>Values for one <c>IN (…)</c> each: at most <see cref="LookupChunk"/> of them and <see cref="LookupChunkLength"/> characters once encoded.</summary>
    internal static IEnumerable<List<string>> Chunks(IEnumerable<string> values)
    {
        var chunk = new List<string>();
        var length = 0;
        foreach (var value in values)
        {
            var encoded = Uri.EscapeDataString(QboQuery.Quote(value) + ", ").Length;
            if (chunk.Count > 0 && (chunk.Count == LookupChunk || length + encoded > LookupChunkLength))
            {
                yield return chunk;
                (chunk, length) = ([], 0);
            }

            chunk.Add(value);
            length += encoded;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <summary>
    /// QBO records whose <paramref name="field"/> is one of <paramref name="values"/> (name lists active or not), by
    /// that value compared as QuickBooks compares names: ignoring case. A company can hold several invoices of one
    /// number, so every record of a value is kept. The queries go out together.
    /// </summary>
    public async Task<ILookup<string, T>> ByValueAsync<T>(string entity, string field, IEnumerable<string> values, Func<QboQueryResponse, IReadOnlyList<T>?> rows,
        Func<T, string?> key, CancellationToken cancellationToken)
    {
        var pages = await Task.WhenAll(Chunks(values.Distinct(StringComparer.OrdinalIgnoreCase)).Select(async chunk =>
        {
            var query = QboQuery.SelectAll(entity).WhereIn(field, chunk);
            if (entity != "Invoice")
            {
                query.IncludingInactive();
            }

            recorder.CountRequest();
            return rows(await qbo.QueryAsync(company, query.Page(1, QboQuery.MaxPageSize), cancellationToken)) ?? [];
        }));
        return pages.SelectMany(page => page).Where(row => key(row) is not null).ToLookup(row => key(row)!, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every QBO record whose <paramref name="field"/> is one of <paramref name="values"/>, page after page.</summary>
    public async Task<List<T>> AllAsync<T>(string entity, string field, IEnumerable<string> values, Func<QboQueryResponse, IReadOnlyList<T>?> rows,
        CancellationToken cancellationToken)
    {
        var chunks = await Task.WhenAll(Chunks(values).Select(async chunk =>
        {
            var found = new List<T>();
            for (var start = 1; ; start += QboQuery.MaxPageSize)
            {
                recorder.CountRequest();
                var page = rows(await qbo.QueryAsync(company, QboQuery.SelectAll(entity).WhereIn(field, chunk).Page(start, QboQuery.MaxPageSize), cancellationToken)) ?? [];
                found.AddRange(page);
                if (page.Count < QboQuery.MaxPageSize)
                {
                    return found;
                }
            }
        }));
        return [.. chunks.SelectMany(c => c)];
    }

    /// <summary>
    /// Every customer of the company, active and inactive, page after page: what a client not linked yet is compared
    /// with (Sync/Matching). Asked once a run, and only when a client is about to be created.
    /// </summary>
    public Task<IReadOnlyList<QboCustomer>> CustomersAsync(CancellationToken cancellationToken) => _customers ??= LoadCustomersAsync(qbo, company, recorder.CountRequest, cancellationToken);

    /// <summary>Every customer of <paramref name="company"/>, active and inactive, in pages of <see cref="QboQuery.MaxPageSize"/>; <paramref name="counted"/> is told of each request.</summary>
    internal static async Task<IReadOnlyList<QboCustomer>> LoadCustomersAsync(QboApiClient qbo, QboCompany company, Action counted, CancellationToken cancellationToken)
    {
        var customers = new List<QboCustomer>();
        for (var start = 1; ; start += QboQuery.MaxPageSize)
        {
            counted();
            var page = (await qbo.QueryAsync(company, QboQuery.SelectAll("Customer").IncludingInactive().OrderBy("Id").Page(start, QboQuery.MaxPageSize), cancellationToken)).Customer ?? [];
            customers.AddRange(page);
            if (page.Count < QboQuery.MaxPageSize)
            {
                return customers;
            }
        }
    }

    /// <summary>QuickBooks' payment methods by name (any case), asked once a run (the first call's token stops it).</summary>
    public Task<Dictionary<string, string>> PaymentMethodsAsync(CancellationToken cancellationToken) =>
        _paymentMethods ??= LoadPaymentMethodsAsync(cancellationToken);

    /// <summary>The income account new items use: the one chosen in settings, else QuickBooks' default. Asked once a run.</summary>
    public Task<string> IncomeAccountAsync(CancellationToken cancellationToken) => _incomeAccount ??= LoadIncomeAccountAsync(cancellationToken);

    private async Task<string> LoadIncomeAccountAsync(CancellationToken cancellationToken)
    {
        if (settings.IncomeAccount is { } account)
        {
            return account.Id;
        }

        recorder.CountRequest();
        var response = await qbo.QueryAsync(company, QboQuery.SelectAll("Account").Where("AccountType", "=", "Income").Page(1, QboQuery.MaxPageSize), cancellationToken);
        var accounts = (response.Account ?? []).Where(a => a.Id is not null && a.Name is not null)
            .Select(a => new QuickBooksAccount(a.Id!, a.Name!, QuickBooksAccountUse.Income, a.Active != false, false));
        return QuickBooksSettingsService.DefaultIncomeAccount(accounts)?.Id
            ?? throw new QuickBooksException(new QuickBooksError(QuickBooksErrorKind.Validation, 400, "2020", "IncomeAccountRef", "The QuickBooks company has no active Income account for new items.",
                "Add an Income account in QuickBooks, or choose one in Settings › Integrations › QuickBooks.", null));
    }

    private async Task<Dictionary<string, string>> LoadPaymentMethodsAsync(CancellationToken cancellationToken)
    {
        recorder.CountRequest();
        var response = await qbo.QueryAsync(company, QboQuery.SelectAll("PaymentMethod").Page(1, QboQuery.MaxPageSize), cancellationToken);
        var methods = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in response.PaymentMethod ?? [])
        {
            if (row is { Name: not null, Id: not null })
            {
                methods.TryAdd(row.Name, row.Id);
            }
        }

        return methods;
    }
}

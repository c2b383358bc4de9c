using Jobkore.Core.Common;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Settings;
using Jobkore.Core.Security;
using Jobkore.Web.Formatting;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Jobkore.Web.Components.Pages.Settings.QuickBooks;

public sealed partial class QuickBooksSettingsPage
{
    [Inject]
    private QuickBooksConnectionService Connections { get; set; } = null!;

    [Inject]
    private QuickBooksSettingsService Settings { get; set; } = null!;

    [Inject]
    private IQuickBooksAccounts Accounts { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    private QuickBooksConnectionView? _connection;
    private IReadOnlyList<QuickBooksAccount> _chart = [];
    private bool _loaded;
    private bool _canChange;
    private bool _saving;
    private bool _refreshing;
    private bool _autoSync;
    private string? _depositAccountId;
    private string? _incomeAccountId;
    private string? _inactiveDeposit;
    private string? _inactiveIncome;
    private Dictionary<PaymentMethod, string> _depositRules = [];
    private List<string> _inactiveRules = [];
    private bool _rulesRead;
    private string? _error;
    private string? _accountsError;
    private QuickBooksSettingsView? _saved;

    private IEnumerable<QuickBooksAccount> DepositChoices =>
        _chart.Where(a => a.Use == QuickBooksAccountUse.Deposit && a.IsActive).OrderBy(a => a.IsUndepositedFunds ? 0 : 1).ThenBy(a => a.Name, StringComparer.CurrentCultureIgnoreCase);

    private IEnumerable<QuickBooksAccount> IncomeChoices =>
        _chart.Where(a => a.Use == QuickBooksAccountUse.Income && a.IsActive).OrderBy(a => a.Name, StringComparer.CurrentCultureIgnoreCase);

    private string DefaultDepositName => _chart.FirstOrDefault(a => a.Id == _depositAccountId)?.Name ?? "Undeposited Funds";

    protected override async Task OnInitializedAsync()
    {
        _connection = await Connections.GetAsync(CancellationToken.None);
        _canChange = await Settings.CanChangeAsync();
        _saved = await Settings.GetAsync(_connection?.RealmId, CancellationToken.None);
        _autoSync = _saved.AutoSync;
        if (_connection is { IsConnected: true })
        {
            await LoadAccountsAsync();
        }

        _loaded = true;
    }

    private async Task LoadAccountsAsync()
    {
        _refreshing = true;
        try
        {
            _chart = await Accounts.ListAsync(CancellationToken.None);
            _accountsError = null;
        }
        catch (QuickBooksException ex)
        {
            _accountsError = $"Jobkore could not read the accounts from QuickBooks: {ex.Error.Message}";
            return;
        }
        finally
        {
            _refreshing = false;
        }

        _depositAccountId = Pick(_depositAccountId ?? _saved?.DepositAccount?.Id, QuickBooksAccountUse.Deposit, out _inactiveDeposit)
            ?? DepositChoices.FirstOrDefault(a => a.IsUndepositedFunds)?.Id;
        _incomeAccountId = Pick(_incomeAccountId ?? _saved?.IncomeAccount?.Id, QuickBooksAccountUse.Income, out _inactiveIncome)
            ?? QuickBooksSettingsService.DefaultIncomeAccount(_chart)?.Id;

        // The saved rules on the first read; what is being edited when the accounts are read again.
        var rules = _rulesRead ? _depositRules : _saved?.DepositRules.ToDictionary(r => r.Key, r => r.Value.Id) ?? [];
        _rulesRead = true;
        _depositRules = [];
        _inactiveRules = [];
        foreach (var (method, id) in rules)
        {
            if (Pick(id, QuickBooksAccountUse.Deposit, out var inactive) is { } active)
            {
                _depositRules[method] = active;
            }
            else if (inactive is not null)
            {
                _inactiveRules.Add($"{BusinessFormatter.Method(method)}: \"{inactive}\"");
            }
        }
    }

    private void ChangeRule(KeyValuePair<PaymentMethod, string?> rule)
    {
        if (rule.Value is null)
        {
            _depositRules.Remove(rule.Key);
        }
        else
        {
            _depositRules[rule.Key] = rule.Value;
        }
    }

    /// <summary>The id when it is still an active account of that use; otherwise null, naming the account when it became inactive.</summary>
    private string? Pick(string? id, QuickBooksAccountUse use, out string? inactiveName)
    {
        inactiveName = null;
        var account = _chart.FirstOrDefault(a => a.Id == id && a.Use == use);
        if (account is { IsActive: false })
        {
            inactiveName = account.Name;
        }

        return account is { IsActive: true } ? account.Id : null;
    }

    private static string Label(QuickBooksAccount account) => account.IsUndepositedFunds ? $"{account.Name} (QuickBooks' default)" : account.Name;

    private string AccountLabel(string? id) => _chart.FirstOrDefault(a => a.Id == id) is { } account ? Label(account) : string.Empty;

    private async Task SaveAsync()
    {
        _error = null;
        _saving = true;
        try
        {
            var realmId = _connection is { IsConnected: true } ? _connection.RealmId : null;
            _saved = await Settings.SaveAsync(realmId, new QuickBooksSettingsInput(_autoSync, _depositAccountId, _incomeAccountId)
            {
                DepositRules = realmId is null ? null : new Dictionary<PaymentMethod, string>(_depositRules),
            }, CancellationToken.None);
            _inactiveDeposit = _inactiveIncome = null;
            _inactiveRules = [];
            Snackbar.Add("QuickBooks settings saved.", Severity.Success);
        }
        catch (Exception ex) when (ex is DomainRuleException or NotAllowedException)
        {
            _error = ex.Message;
        }
        catch (QuickBooksException ex)
        {
            _error = $"Nothing was saved: Jobkore could not check the accounts with QuickBooks ({ex.Error.Message}). Try again in a minute.";
        }
        finally
        {
            _saving = false;
        }
    }
}

using Jobkore.Core.Businesses;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Payments;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Jobkore.Web.Components.Shared;
using Jobkore.Web.Formatting;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Jobkore.Web.Components.Pages.Invoices;

public sealed partial class InvoiceDetailsPage
{
    [Inject]
    private InvoiceService Invoices { get; set; } = null!;

    [Inject]
    private PaymentService Payments { get; set; } = null!;

    [Inject]
    private BusinessFormatter Format { get; set; } = null!;

    [Inject]
    private IDialogService Dialogs { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private SyncStatuses SyncStatuses { get; set; } = null!;

    [Inject]
    private SyncRuns SyncRuns { get; set; } = null!;

    [Inject]
    private SyncHistory SyncHistory { get; set; } = null!;

    [Inject]
    private Jobkore.Core.Sync.Changes.QuickBooksChangeChoices ChangeChoices { get; set; } = null!;

    [Inject]
    private QuickBooksConnectionService Connections { get; set; } = null!;

    [Inject]
    private ICurrentBusiness CurrentBusiness { get; set; } = null!;

    [Inject]
    private Microsoft.Extensions.Options.IOptions<Jobkore.Web.QuickBooks.BuiltInSandboxOptions> Sandbox { get; set; } = null!;

    [Parameter]
    public int Id { get; set; }

    private InvoiceView? _invoice;
    private SyncView? _sync;
    private IReadOnlyList<SyncAttemptView> _history = [];
    private QuickBooksConnectionView? _connection;
    private bool _resyncing;
    private bool _inRun;
    private int _loads;
    private bool _loading = true;
    private bool _changedWhileLoading;
    private bool _busy;

    protected override async Task OnParametersSetAsync()
    {
        _loading = true;
        await ReloadAsync();

        // A change heard while the first load read the database may not be in what it read: read again.
        while (_changedWhileLoading)
        {
            _changedWhileLoading = false;
            await ReloadAsync();
        }

        _loading = false;
        if (_invoice is null)
        {
            Navigation.NotFound();
        }
    }

    /// <summary>
    /// Reads the invoice and its QuickBooks side. Loads can overlap (an action's own reload, a live one); the one started
    /// last has the last word, so an older read finishing late never puts stale figures back on the page.
    /// </summary>
    private async Task ReloadAsync()
    {
        var load = ++_loads;
        var invoice = await Invoices.GetAsync(Id, CancellationToken.None);
        var sync = invoice is null ? null : await SyncStatuses.ForInvoiceAsync(Id, CancellationToken.None);
        var history = sync is null ? [] : await SyncHistory.ForAsync(SyncEntityType.Invoice, Id, 20, CancellationToken.None);
        if (sync is not null)
        {
            _connection ??= await Connections.GetAsync(CancellationToken.None);
        }

        if (load == _loads)
        {
            (_invoice, _sync, _history) = (invoice, sync, history);
        }
    }

    private bool Syncing => _resyncing || (_inRun && _sync?.Status is not (SyncStatus.UpToDate or SyncStatus.Warning));

    private string? OpenInQuickBooksUrl => _connection is { } connection && _sync?.QboId is { } qboId
        ? Jobkore.Web.QuickBooks.QuickBooksLinks.OpenInvoice(connection.Environment, connection.RealmId, qboId, Sandbox.Value.Url)
        : null;

    /// <summary>This invoice, one of its payments (any, when a change does not say which invoice it pays), or an edit of its client.</summary>
    private bool IsAboutThisInvoice(SyncRecordChange changed) => changed.EntityType switch
    {
        SyncEntityType.Invoice => changed.EntityId == Id,
        SyncEntityType.Payment => changed.InvoiceId == Id || changed.InvoiceId is null,
        SyncEntityType.Client => changed.EntityId == _invoice?.ClientId && changed.Kind != SyncRecordChangeKind.Status,
        _ => false,
    };

    /// <summary>Live: this invoice, its payments or its client changed elsewhere, or a run just sent it.</summary>
    private async Task OnChangedElsewhereAsync()
    {
        if (_loading)
        {
            _changedWhileLoading = true;
            return;
        }

        await ReloadAsync();
    }

    private async Task OnRunChangedAsync(SyncEvent syncEvent)
    {
        switch (syncEvent)
        {
            case SyncRunSending sending:
                _inRun = sending.InvoiceIds.Contains(Id);
                break;
            case SyncRunFinished when _inRun:
                _inRun = false;
                await ReloadAsync();
                break;
            case SyncEventsMissed:
                // The run's end may be among what was missed: the invoice shows its own status (the reload follows).
                _inRun = false;
                break;
        }
    }

    /// <summary>Re-sync (edited) or Retry (failed): sends this invoice with what it needs, and says how it went.</summary>
    private async Task ResyncAsync()
    {
        _resyncing = true;
        try
        {
            var result = await SyncRuns.RequestAsync(CurrentBusiness.Profile.Id, Id, SyncTrigger.ResyncOne);
            await ReloadAsync();
            Snackbar.Add(SyncRunNotices.ForOneInvoice(result, _invoice?.Number ?? "", _sync?.Status), Navigation);
        }
        finally
        {
            _resyncing = false;
        }
    }

    /// <summary>Changed (or voided) in QuickBooks: sends Jobkore's version over it; deleted there: creates it again.</summary>
    private Task SendJobkoreVersionAsync() => ChooseAsync(async () => await ChangeChoices.SendJobkoreVersionAsync(SyncEntityType.Invoice, Id, CancellationToken.None));

    /// <summary>Changed in QuickBooks: keeps QuickBooks' version until the invoice is edited here.</summary>
    private Task KeepQuickBooksVersionAsync() => ChooseAsync(async () =>
    {
        await ChangeChoices.KeepQuickBooksVersionAsync(SyncEntityType.Invoice, Id, CancellationToken.None);
        return null;
    });

    /// <summary>Voided in QuickBooks: voids it in Jobkore too.</summary>
    private Task VoidInJobkoreAsync() => ChooseAsync(async () => await ChangeChoices.VoidInJobkoreAsync(Id, CancellationToken.None));

    /// <summary>One choice for an invoice changed in QuickBooks; a choice that sends says how the run went.</summary>
    private async Task ChooseAsync(Func<Task<SyncRunResult?>> choice)
    {
        _resyncing = true;
        try
        {
            var result = await choice();
            await ReloadAsync();
            Snackbar.Add(result is null ? new SyncRunNotice($"Invoice {_invoice?.Number}: QuickBooks' version is kept.", Severity.Success)
                : SyncRunNotices.ForOneInvoice(result, _invoice?.Number ?? "", _sync?.Status), Navigation);
        }
        catch (DomainRuleException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            await ReloadAsync();
        }
        finally
        {
            _resyncing = false;
        }
    }

    private Task MarkSentAsync() => RunAsync(() => Invoices.MarkSentAsync(Id, CancellationToken.None), $"Invoice {_invoice!.Number} marked as sent.");

    private async Task RecordPaymentAsync()
    {
        var parameters = new DialogParameters<RecordPaymentDialog>
        {
            { d => d.InvoiceId, _invoice!.Id },
            { d => d.InvoiceNumber, _invoice.Number },
            { d => d.Balance, _invoice.Balance },
            { d => d.IssueDate, _invoice.IssueDate },
        };
        var dialog = await Dialogs.ShowAsync<RecordPaymentDialog>($"Record payment · {_invoice.Number}", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false })
        {
            await ReloadAsync();
        }
    }

    private async Task VoidAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Void invoice {_invoice!.Number}?",
            "A void invoice stays on record with its number, owes nothing and can no longer be edited or paid. This cannot be undone.",
            yesText: "Void invoice",
            cancelText: "Keep invoice");
        if (confirmed == true)
        {
            await RunAsync(() => Invoices.VoidAsync(Id, CancellationToken.None), $"Invoice {_invoice.Number} is now void.");
        }
    }

    private async Task RemovePaymentAsync(InvoicePaymentView payment)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Remove this payment?",
            $"The payment of {Format.Money(payment.Amount)} on {Format.Date(payment.Date)} will be removed and the balance will go back up.",
            yesText: "Remove payment",
            cancelText: "Keep it");
        if (confirmed == true)
        {
            await RunAsync(() => Payments.DeleteAsync(payment.Id, CancellationToken.None), "Payment removed.");
        }
    }

    private async Task RunAsync(Func<Task> action, string success)
    {
        _busy = true;
        try
        {
            await action();
            Snackbar.Add(success, Severity.Success);
        }
        catch (DomainRuleException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        finally
        {
            await ReloadAsync();
            _busy = false;
        }
    }
}

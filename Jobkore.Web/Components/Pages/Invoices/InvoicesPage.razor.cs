using Jobkore.Core.Businesses;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Jobkore.Web.Components.Shared;
using Jobkore.Web.Formatting;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Jobkore.Web.Components.Pages.Invoices;

public sealed partial class InvoicesPage
{
    [Inject]
    private InvoiceService Invoices { get; set; } = null!;

    [Inject]
    private BusinessFormatter Format { get; set; } = null!;

    [Inject]
    private BusinessCalendar Calendar { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private SyncStatuses SyncStatuses { get; set; } = null!;

    [Inject]
    private SyncRuns SyncRuns { get; set; } = null!;

    [Inject]
    private ICurrentBusiness CurrentBusiness { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    private ListTable<InvoiceRow>? _table;
    private SyncListener? _listener;
    private readonly SyncBadgeBoard _badges = new();
    private string? _search;
    private InvoiceListFilter _filter = new();
    private IReadOnlyDictionary<int, SyncView>? _sync;
    private IReadOnlyList<InvoiceRow> _rows = [];
    /// <summary>The selected invoices' ids: a selection outlives pages and reloads.</summary>
    private readonly HashSet<int> _selected = [];
    private IReadOnlySet<int> _sending = new HashSet<int>();
    private bool _running;
    private bool _syncingSelected;

    /// <summary>"waiting", "failed", "up-to-date" or "changed" (in QuickBooks): the QuickBooks filter to open with (the sync summary's View link).</summary>
    [SupplyParameterFromQuery(Name = "sync")]
    public string? SyncQuery { get; set; }

    protected override void OnInitialized() => _filter = _filter with
    {
        Sync = SyncQuery switch
        {
            "waiting" => SyncFilter.Waiting,
            "failed" => SyncFilter.Failed,
            "up-to-date" => SyncFilter.UpToDate,
            "changed" => SyncFilter.ChangedInQuickBooks,
            _ => null,
        },
    };

    /// <summary>The page of invoices, and their QuickBooks status when QuickBooks is connected (else the column is hidden).</summary>
    private async Task<TableData<InvoiceRow>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        var page = await Invoices.ListAsync(state.ToPageRequest(_search), _filter, cancellationToken);
        var wasConnected = _sync is not null;
        _sync = await SyncStatuses.ViewsForInvoicesAsync([.. page.Items.Select(i => i.Id)], cancellationToken);
        _rows = page.Items;
        if (wasConnected != _sync is not null)
        {
            StateHasChanged(); // the table's selection column comes and goes with the QuickBooks column
        }

        return page.ToTableData();
    }

    /// <summary>Live: records changed (a save here or elsewhere, a run's commit), so the page shows them as they are now.</summary>
    private Task ReloadAsync() => _table?.RefreshAsync() ?? Task.CompletedTask;

    /// <summary>
    /// Live, without a query when it can be: a new sync state of an invoice on the page that still belongs under the
    /// QuickBooks filter is patched in, and only its badge is drawn again (not the page and its table). The page reads again only when its rows may change: an invoice added, deleted
    /// or edited, a client edited (rows show its name), a row that leaves the filter, or, under a QuickBooks filter, a
    /// status change of an invoice not shown (it may join).
    /// </summary>
    private Task OnStatusChanged(SyncStatusChanged changed)
    {
        var reload = false;
        foreach (var change in changed.Changes)
        {
            switch (change.EntityType)
            {
                case SyncEntityType.Invoice when change.Kind == SyncRecordChangeKind.Status:
                    var shown = _rows.Any(r => r.Id == change.EntityId);
                    if (shown && change.View is { } view && _sync is not null && BelongsUnderFilter(view))
                    {
                        // Kept for the next time the page draws its rows; meanwhile the row's badge redraws alone.
                        _sync = new Dictionary<int, SyncView>(_sync) { [change.EntityId] = view };
                        reload |= !_badges.Show(change.EntityId, view);
                    }
                    else if (shown || _filter.Sync is not null)
                    {
                        reload = true;
                    }

                    break;
                case SyncEntityType.Invoice:
                case SyncEntityType.Client when change.Kind != SyncRecordChangeKind.Status:
                    reload = true;
                    break;
            }
        }

        if (reload)
        {
            _listener?.ReloadSoon();
        }

        return Task.CompletedTask;
    }

    private bool BelongsUnderFilter(SyncView view) => _filter.Sync switch
    {
        null => true,
        SyncFilter.Waiting => view.Status.IsWaiting(),
        SyncFilter.Failed => view.Status == SyncStatus.Failed,
        SyncFilter.UpToDate => view.Status == SyncStatus.UpToDate,
        SyncFilter.ChangedInQuickBooks => view.Status.IsFlagged(),
        _ => false,
    };

    private Task SearchAsync(string? search)
    {
        _search = search;
        return _table!.ReloadFromFirstPageAsync();
    }

    private Task StatusFilterChangedAsync(InvoiceStatus? status)
    {
        _filter = _filter with { Status = status };
        return _table!.ReloadFromFirstPageAsync();
    }

    private async Task OnRunChangedAsync(SyncEvent syncEvent)
    {
        switch (syncEvent)
        {
            case SyncRunStarted:
                _running = true;
                break;
            case SyncRunSending sending:
                _running = true;
                _sending = sending.InvoiceIds;
                break;
            case SyncRunFinished:
                _running = false;
                _sending = new HashSet<int>();
                await ReloadAsync();
                break;
            case SyncEventsMissed:
                // The run's end may be among what was missed: its invoices show their own status (the reload follows).
                _running = false;
                _sending = new HashSet<int>();
                break;
        }
    }

    /// <summary>In a running sync and not through yet (a sent invoice shows its new status at once; a failed one at the run's end).</summary>
    private bool IsSending(int invoiceId, SyncView? sync) =>
        _sending.Contains(invoiceId) && sync?.Status is SyncStatus.NotSynced or SyncStatus.Edited or SyncStatus.Failed;

    private Task SyncFilterChangedAsync(SyncFilter? filter)
    {
        _filter = _filter with { Sync = filter };
        _selected.Clear();
        return _table!.ReloadFromFirstPageAsync();
    }

    private bool AllOnPageSelected => _rows.Count > 0 && _rows.All(r => _selected.Contains(r.Id));

    private void Select(InvoiceRow row, bool on) => Select([row], on);

    private void SelectPage(bool on) => Select(_rows, on);

    private void Select(IEnumerable<InvoiceRow> rows, bool on)
    {
        foreach (var row in rows)
        {
            if (on)
            {
                _selected.Add(row.Id);
            }
            else
            {
                _selected.Remove(row.Id);
            }
        }
    }

    /// <summary>Sends the selected invoices (with their clients, items and payments) in one run; the badges follow live.</summary>
    private async Task SyncSelectedAsync()
    {
        _syncingSelected = true;
        try
        {
            var result = await SyncRuns.RequestInvoicesAsync(CurrentBusiness.Profile.Id, [.. _selected], SyncTrigger.SyncSelected);
            Report(result);
            if (result.Outcome == SyncRunOutcome.Completed)
            {
                _selected.Clear();
            }
        }
        finally
        {
            _syncingSelected = false;
        }

        await ReloadAsync();
    }

    /// <summary>Re-sync (edited) or Retry (failed) from the list.</summary>
    private async Task ResyncAsync(InvoiceRow row)
    {
        var result = await SyncRuns.RequestAsync(CurrentBusiness.Profile.Id, row.Id, SyncTrigger.ResyncOne);
        Report(result);
        await ReloadAsync();
    }

    private void Report(SyncRunResult result) => Snackbar.Add(SyncRunNotices.ForInvoiceList(result), Navigation);

    private bool IsOverdue(InvoiceRow row) =>
        row.Status is InvoiceStatus.Sent or InvoiceStatus.PartiallyPaid && row.Balance > 0 && row.DueDate < Calendar.Today;

    private void Open(TableRowClickEventArgs<InvoiceRow> click) => Navigation.NavigateTo($"/invoices/{click.Item!.Id}");
}

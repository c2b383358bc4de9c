using Jobkore.Core.Businesses;
using Jobkore.Core.Catalog;
using Jobkore.Core.Clients;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;

namespace Jobkore.Web.Components.Pages.Invoices;

public sealed partial class InvoiceEditorPage
{
    [Inject]
    private InvoiceService Invoices { get; set; } = null!;

    [Inject]
    private ClientService Clients { get; set; } = null!;

    [Inject]
    private CatalogService Catalog { get; set; } = null!;

    [Inject]
    private BusinessCalendar Calendar { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private IDialogService Dialogs { get; set; } = null!;

    [Parameter]
    public int? Id { get; set; }

    [SupplyParameterFromQuery(Name = "clientId")]
    public int? ClientId { get; set; }

    private readonly InvoiceEditorModel _model = new();
    private MudForm? _form;
    private bool _loading = true;
    private bool _notFound;
    private bool _saving;
    private bool _saved;
    private string? _error;
    private string _savedFingerprint = string.Empty;
    private InvoiceStatus _status = InvoiceStatus.Draft;
    private decimal _amountPaid;

    private string Title => Id is null ? "New invoice" : $"Edit invoice {_model.Number}";

    private bool IsDirty => !_saved && _model.Fingerprint() != _savedFingerprint;

    protected override async Task OnInitializedAsync()
    {
        if (Id is { } id)
        {
            await LoadExistingAsync(id);
        }
        else
        {
            await LoadNewAsync();
        }

        _savedFingerprint = _model.Fingerprint();
        _loading = false;
    }

    private async Task LoadNewAsync()
    {
        var defaults = await Invoices.GetNewInvoiceDefaultsAsync(CancellationToken.None);
        var today = Calendar.Today.ToDateTime(TimeOnly.MinValue);
        _model.Number = defaults.Number;
        _model.TaxRatePercent = defaults.TaxRatePercent;
        _model.IssueDate = today;
        _model.DueDate = today.AddDays(30);
        _model.Lines.Add(new InvoiceEditorModel.LineModel());
        if (ClientId is { } clientId && await Clients.GetAsync(clientId, CancellationToken.None) is { } client)
        {
            _model.Client = new ClientOption(clientId, client.DisplayName, client.CompanyName);
        }
    }

    private async Task LoadExistingAsync(int id)
    {
        var invoice = await Invoices.GetForEditAsync(id, CancellationToken.None);
        if (invoice is null)
        {
            _notFound = true;
            Navigation.NotFound();
            return;
        }

        var draft = invoice.Draft;
        _status = invoice.Status;
        _amountPaid = invoice.AmountPaid;
        _model.Client = new ClientOption(draft.ClientId, invoice.ClientName, null);
        _model.Number = draft.Number;
        _model.IssueDate = draft.IssueDate.ToDateTime(TimeOnly.MinValue);
        _model.DueDate = draft.DueDate.ToDateTime(TimeOnly.MinValue);
        _model.TaxRatePercent = draft.TaxRatePercent;
        _model.Memo = draft.Memo;
        var itemIds = draft.Lines.Where(l => l.CatalogItemId is not null).Select(l => l.CatalogItemId!.Value).Distinct().ToList();
        var items = (await Catalog.GetRowsAsync(itemIds, CancellationToken.None)).ToDictionary(i => i.Id);
        foreach (var line in draft.Lines)
        {
            _model.Lines.Add(new InvoiceEditorModel.LineModel
            {
                Item = line.CatalogItemId is { } itemId ? items.GetValueOrDefault(itemId) : null,
                Description = line.Description,
                Quantity = line.Quantity,
                UnitPrice = line.UnitPrice,
                Taxable = line.Taxable,
            });
        }
    }

    private async Task<IEnumerable<ClientOption>> SearchClientsAsync(string? text, CancellationToken cancellationToken) =>
        await Clients.SearchAsync(text, 20, cancellationToken);

    private void IssueDateChanged(DateTime? date)
    {
        // Keep the payment terms: moving the issue date moves the due date with it.
        if (date is { } issued && _model.IssueDate is { } previous && _model.DueDate is { } due)
        {
            _model.DueDate = issued.Add(due - previous);
        }

        _model.IssueDate = date;
    }

    private string? ValidateDueDate(DateTime? due) =>
        due is { } d && _model.IssueDate is { } issued && d < issued ? "The due date cannot be before the issue date." : null;

    private async Task SaveAsync(bool markSent)
    {
        _error = null;
        await _form!.ValidateAsync();
        if (!_form.IsValid)
        {
            _error = "Some fields need your attention. Fix the messages shown in red, then save again.";
            return;
        }

        _saving = true;
        try
        {
            var draft = _model.ToDraft();
            int id;
            if (Id is { } existing)
            {
                await Invoices.UpdateAsync(existing, draft, markSent, CancellationToken.None);
                id = existing;
            }
            else
            {
                id = await Invoices.CreateAsync(draft, markSent, CancellationToken.None);
            }

            _saved = true;
            Snackbar.Add(Id is null ? $"Invoice {draft.Number.Trim()} created." : $"Invoice {draft.Number.Trim()} saved.", Severity.Success);
            Navigation.NavigateTo($"/invoices/{id}");
        }
        catch (DomainRuleException ex)
        {
            _error = ex.Message;
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (!IsDirty)
        {
            return;
        }

        var leave = await Dialogs.ShowMessageBoxAsync("Discard your changes?", "This invoice has changes that are not saved yet.", yesText: "Discard changes", cancelText: "Keep editing");
        if (leave != true)
        {
            context.PreventNavigation();
        }
    }
}

using Jobkore.Core.Clients;
using Jobkore.Core.Domain;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Jobkore.Web.Components.Pages.Clients;

public sealed partial class ClientEditorPage
{
    [Inject]
    private ClientService Clients { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Parameter]
    public int? Id { get; set; }

    private readonly FormModel _model = new();
    private MudForm? _form;
    private bool _loading = true;
    private bool _notFound;
    private bool _saving;
    private string? _error;
    private string _savedName = string.Empty;

    protected override async Task OnInitializedAsync()
    {
        if (Id is { } id)
        {
            var client = await Clients.GetAsync(id, CancellationToken.None);
            if (client is null)
            {
                _notFound = true;
                Navigation.NotFound();
            }
            else
            {
                _model.Load(client);
                _savedName = client.DisplayName;
            }
        }

        _loading = false;
    }

    private async Task SaveAsync()
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
            var details = _model.ToDetails();
            if (Id is { } id)
            {
                await Clients.UpdateAsync(id, details, CancellationToken.None);
            }
            else
            {
                await Clients.CreateAsync(details, CancellationToken.None);
            }

            Snackbar.Add(Id is null ? $"Client {details.DisplayName.Trim()} created." : $"Client {details.DisplayName.Trim()} saved.", Severity.Success);
            Navigation.NavigateTo("/clients");
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

    private sealed class FormModel
    {
        public string DisplayName { get; set; } = string.Empty;
        public string? CompanyName { get; set; }
        public string? Email { get; set; }
        public string? Phone { get; set; }
        public string? Line1 { get; set; }
        public string? Line2 { get; set; }
        public string? City { get; set; }
        public string? Region { get; set; }
        public string? PostalCode { get; set; }
        public string? Country { get; set; }

        public void Load(ClientDetails client)
        {
            (DisplayName, CompanyName, Email, Phone) = (client.DisplayName, client.CompanyName, client.Email, client.Phone);
            var a = client.BillingAddress;
            (Line1, Line2, City, Region, PostalCode, Country) = (a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Country);
        }

        public ClientDetails ToDetails() =>
            new(DisplayName, CompanyName, Email, Phone, new PostalAddress(Line1, Line2, City, Region, PostalCode, Country));
    }
}

using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.Sync.Matching;
using Jobkore.Core.SyncState;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Jobkore.Web.Components.Pages.Settings.QuickBooks;

/// <summary>
/// Customer matches: the clients that likely are a QuickBooks customer they are not linked to, each with its
/// candidates and why, and an admin's three choices (link, create, don't sync); then what was decided, which can be
/// reviewed again until the client is in QuickBooks. Live: it reads again as records change, so a choice made on one
/// page, or a hold found by a sync, shows on every open page.
/// </summary>
public sealed partial class CustomerMatchesPage
{
    public const string Path = "/settings/integrations/quickbooks/customers";

    private readonly HashSet<int> _busy = [];
    private IReadOnlyList<CustomerReviewItem> _items = [];
    private CustomerMatchSummary? _summary;
    private bool _connected;
    private bool _canDecide;
    private bool _scanning;
    private bool _loaded;
    private string? _error;

    [Inject]
    private CustomerMatchReview Review { get; set; } = null!;

    [Inject]
    private QuickBooksConnectionService Connections { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        _canDecide = await Review.CanDecideAsync();
        await LoadAsync();
        _loaded = true;
    }

    private async Task LoadAsync()
    {
        _connected = (await Connections.GetAsync(CancellationToken.None)) is { IsConnected: true };
        _items = _connected ? await Review.ListAsync(CancellationToken.None) : [];
        StateHasChanged();
    }

    private async Task ScanAsync()
    {
        _scanning = true;
        _error = null;
        try
        {
            _summary = await Review.ScanAsync(CancellationToken.None);
            await LoadAsync();
        }
        catch (QuickBooksException ex)
        {
            _error = $"Jobkore could not read the company's customers, so nothing changed: {ex.Error.Message} Try again in a minute.";
        }
        finally
        {
            _scanning = false;
        }
    }

    private async Task DecideAsync(CustomerReviewItem item, CustomerMatchState decision, CustomerCandidate? candidate)
    {
        if (!_busy.Add(item.ClientId))
        {
            return;
        }

        try
        {
            var result = await Review.DecideAsync(item.ClientId, decision, candidate?.QboId, CancellationToken.None);
            await LoadAsync();
            var (text, severity) = (decision, result) switch
            {
                (CustomerMatchState.DontSync, _) => ($"{item.ClientName} is kept out of QuickBooks, with its invoices and payments. Review it again to send it after all.", Severity.Info),
                (_, null) => ($"{item.ClientName}: {Chosen(decision, candidate)} when its first invoice is sent.", Severity.Success),
                (_, { Summary.Failed: > 0 } failed) => ($"{item.ClientName}: {Chosen(decision, candidate)}, but {failed.Summary.Failed} of its records failed: see Needs attention.", Severity.Warning),
                _ => ($"{item.ClientName}: {Chosen(decision, candidate)}, and its invoices are in QuickBooks.", Severity.Success),
            };
            Snackbar.Add(text, severity);
        }
        catch (DomainRuleException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            await LoadAsync();
        }
        finally
        {
            _busy.Remove(item.ClientId);
        }
    }

    private async Task ReopenAsync(CustomerReviewItem item)
    {
        if (!_busy.Add(item.ClientId))
        {
            return;
        }

        try
        {
            await Review.ReopenAsync(item.ClientId, CancellationToken.None);
            Snackbar.Add($"{item.ClientName} is to review again: choose what becomes of it.", Severity.Info);
        }
        catch (DomainRuleException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        finally
        {
            _busy.Remove(item.ClientId);
            await LoadAsync();
        }
    }

    private static string Chosen(CustomerMatchState decision, CustomerCandidate? candidate) =>
        decision == CustomerMatchState.Link ? $"linked to the customer {candidate!.DisplayName}" : "a new customer is created";

    internal static string SummaryText(CustomerMatchSummary summary) =>
        $"{summary.SameName} linked by name, {summary.ToReview} to review, {summary.New} new.";

    private static string DecisionText(CustomerReviewItem item) => (item.State, item.InQuickBooks) switch
    {
        (CustomerMatchState.Link, true) => $"Linked to the customer {item.Chosen?.DisplayName ?? "chosen"} in QuickBooks.",
        (CustomerMatchState.Link, false) => $"To be linked to the customer {item.Chosen?.DisplayName ?? "chosen"} when its first invoice is sent.",
        (CustomerMatchState.CreateNew, true) => "Sent to QuickBooks as a new customer.",
        (CustomerMatchState.CreateNew, false) => "A new customer is created when its first invoice is sent.",
        _ => $"Kept out of QuickBooks: {InvoicesText(item.Invoices).ToLowerInvariant()} and their payments are not sent and not counted as waiting.",
    };

    private static string DecisionIcon(CustomerMatchState state) => state switch
    {
        CustomerMatchState.Link => Icons.Material.Outlined.Link,
        CustomerMatchState.CreateNew => Icons.Material.Outlined.PersonAdd,
        _ => Icons.Material.Outlined.SyncDisabled,
    };

    private static string InvoicesText(int invoices) => invoices switch
    {
        0 => "No sent invoices yet",
        1 => "1 sent invoice",
        _ => $"{invoices} sent invoices",
    };

    private static string Details(string? email, string? phone, string? postalCode) =>
        new[] { email, phone, postalCode }.Where(v => !string.IsNullOrWhiteSpace(v)) is var shown && shown.Any() ? string.Join(" · ", shown) : "No email, phone or postal code";
}

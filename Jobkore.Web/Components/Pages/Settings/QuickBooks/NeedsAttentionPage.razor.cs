using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Changes;
using Jobkore.Core.SyncState;
using Jobkore.Web.Formatting;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Jobkore.Web.Components.Pages.Settings.QuickBooks;

/// <summary>
/// Needs attention: every record of the connected company that failed, went with a different amount, or changed in
/// QuickBooks, grouped by cause, each with the fix in words and its action in place. Live like the lists: it reads
/// again as records change or a run ends, so a fixed record leaves the list on every open page.
/// </summary>
public sealed partial class NeedsAttentionPage
{
    public const string Path = "/settings/integrations/quickbooks/attention";

    private static readonly SyncEntityType[] s_types = [SyncEntityType.Invoice, SyncEntityType.Payment, SyncEntityType.Client, SyncEntityType.CatalogItem];

    private readonly HashSet<(SyncEntityType, int)> _busy = [];
    private AttentionList _list = AttentionList.Empty;
    private SyncEntityType? _type;
    private bool _connected;
    private bool _loaded;

    [Inject]
    private NeedsAttention Attention { get; set; } = null!;

    [Inject]
    private QuickBooksChangeChoices Choices { get; set; } = null!;

    [Inject]
    private QuickBooksConnectionService Connections { get; set; } = null!;

    [Inject]
    private BusinessFormatter Format { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    /// <summary>Only records of this type (e.g. <c>?type=client</c>); all types when not set.</summary>
    [SupplyParameterFromQuery(Name = "type")]
    public string? TypeFilter { get; set; }

    private IEnumerable<AttentionItem> Shown => _type is { } type ? _list.Items.Where(i => i.Type == type) : _list.Items;

    private string CountText => _list.Total == 1 ? "1 record needs attention." : $"{_list.Total} records need attention.";

    protected override async Task OnInitializedAsync()
    {
        _type = s_types.Cast<SyncEntityType?>().FirstOrDefault(t => string.Equals(TypeName(t!.Value), TypeFilter, StringComparison.OrdinalIgnoreCase));
        await LoadAsync();
        _loaded = true;
    }

    private async Task LoadAsync()
    {
        _connected = (await Connections.GetAsync(CancellationToken.None)) is { IsConnected: true };
        _list = await Attention.ListAsync(CancellationToken.None);
        StateHasChanged();
    }

    private async Task OnRunChangedAsync(SyncEvent syncEvent)
    {
        if (syncEvent is SyncRunFinished)
        {
            await LoadAsync();
        }
    }

    private void TypeChanged(SyncEntityType? type) => _type = type;

    private async Task RunAsync(AttentionItem item, AttentionAction action)
    {
        if (!_busy.Add((item.Type, item.Id)))
        {
            return;
        }

        try
        {
            var notice = await action.Run!(item);
            await LoadAsync();
            var still = _list.Items.FirstOrDefault(i => i.Type == item.Type && i.Id == item.Id);
            Snackbar.Add(notice ?? (still is null ? $"{Label(item)}: done, nothing more needs attention." : $"{Label(item)} still needs attention: {still.Message}"),
                still is null ? Severity.Success : Severity.Warning);
        }
        catch (DomainRuleException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            await LoadAsync();
        }
        finally
        {
            _busy.Remove((item.Type, item.Id));
        }
    }

    /// <summary>What can be done about the record, in place: its cause's fix first, opening the record last.</summary>
    private IEnumerable<AttentionAction> Actions(AttentionItem item)
    {
        switch (item.Cause)
        {
            case AttentionCause.CustomerToReview:
                yield return AttentionAction.Link("Review the match", CustomerMatchesPage.Path);
                break;
            case AttentionCause.NameInUse when item.Type == SyncEntityType.Client:
                yield return AttentionAction.Link("Rename the client", $"/clients/{item.Id}/edit");
                yield return AttentionAction.Do("Retry", RetryAsync, primary: true);
                yield break;
            case AttentionCause.NameInUse when item.Type == SyncEntityType.CatalogItem:
                yield return AttentionAction.Link("Rename the item", "/catalog");
                yield return AttentionAction.Do("Retry", RetryAsync, primary: true);
                yield break;
            case AttentionCause.NumberInUse when item.Type == SyncEntityType.Invoice:
                yield return AttentionAction.Link("Change the number", $"/invoices/{item.Id}/edit");
                yield return AttentionAction.Do("Retry", RetryAsync, primary: true);
                yield break;
            case AttentionCause.Connection:
                yield return AttentionAction.Link("Go to Integrations", "/settings/integrations");
                yield return AttentionAction.Do("Retry", RetryAsync);
                yield break;
            case AttentionCause.AmountDiffers:
                yield return AttentionAction.Do("Send again", SendAgainAsync, primary: true);
                yield return AttentionAction.Link("Open the invoice", OpenHref(item));
                yield break;
            case AttentionCause.ChangedInQuickBooks:
                yield return AttentionAction.Do("Send Jobkore's version", SendJobkoreVersionAsync, primary: true);
                yield return AttentionAction.Do("Keep QuickBooks' version", KeepQuickBooksVersionAsync);
                break;
            case AttentionCause.DeletedInQuickBooks:
                yield return AttentionAction.Do("Re-create in QuickBooks", SendJobkoreVersionAsync, primary: true);
                break;
            case AttentionCause.VoidedInQuickBooks when item.Type == SyncEntityType.Invoice:
                yield return AttentionAction.Do("Void in Jobkore", VoidInJobkoreAsync, primary: true);
                yield return AttentionAction.Do("Send Jobkore's version", SendJobkoreVersionAsync);
                break;
            case AttentionCause.VoidedInQuickBooks:
                yield return AttentionAction.Do("Send Jobkore's version", SendJobkoreVersionAsync, primary: true);
                break;
            default:
                yield return AttentionAction.Do("Retry", RetryAsync, primary: true);
                break;
        }

        yield return AttentionAction.Link(item.Type is SyncEntityType.Invoice or SyncEntityType.Payment ? "Open the invoice" : $"Open the {TypeSingular(item.Type)}", OpenHref(item));
    }

    private async Task<string?> RetryAsync(AttentionItem item) =>
        await Attention.RetryAsync(item.Type, item.Id, CancellationToken.None) is null
            ? $"{Label(item)} goes to QuickBooks with its first sent invoice; no sent invoice uses it yet."
            : null;

    private async Task<string?> SendAgainAsync(AttentionItem item)
    {
        await Attention.SendAgainAsync(item.Type, item.Id, CancellationToken.None);
        return null;
    }

    private async Task<string?> SendJobkoreVersionAsync(AttentionItem item)
    {
        var result = await Choices.SendJobkoreVersionAsync(item.Type, item.Id, CancellationToken.None);
        return result is null ? $"{Label(item)}: Jobkore's version goes to QuickBooks with the next sync." : null;
    }

    private async Task<string?> KeepQuickBooksVersionAsync(AttentionItem item)
    {
        await Choices.KeepQuickBooksVersionAsync(item.Type, item.Id, CancellationToken.None);
        return $"{Label(item)}: QuickBooks' version is kept. It is sent again once it is edited in Jobkore.";
    }

    private async Task<string?> VoidInJobkoreAsync(AttentionItem item)
    {
        await Choices.VoidInJobkoreAsync(item.Id, CancellationToken.None);
        return null;
    }

    private static string OpenHref(AttentionItem item) => item.Type switch
    {
        SyncEntityType.Client => $"/clients/{item.Id}/edit",
        SyncEntityType.CatalogItem => "/catalog",
        _ => $"/invoices/{item.InvoiceId}",
    };

    private static string Label(AttentionItem item) => item.Type switch
    {
        SyncEntityType.Invoice => $"Invoice {item.Name}",
        SyncEntityType.Payment => $"Payment on invoice {item.Name}",
        SyncEntityType.Client => $"Client {item.Name}",
        _ => $"Catalog item {item.Name}",
    };

    private string? Detail(AttentionItem item) => item switch
    {
        { Payment: { } payment } => $"{Format.Money(payment.Amount)} on {Format.Date(payment.Date)} · {item.ClientName}",
        { ClientName: { } client } => client,
        _ => null,
    };

    /// <summary>The group's heading.</summary>
    internal static string Title(AttentionCause cause) => cause switch
    {
        AttentionCause.CustomerToReview => "May already be a QuickBooks customer",
        AttentionCause.NameInUse => "Name already used in QuickBooks",
        AttentionCause.NumberInUse => "Number already used in QuickBooks",
        AttentionCause.Refused => "Refused by QuickBooks",
        AttentionCause.Connection => "QuickBooks connection or subscription",
        AttentionCause.NoAnswer => "QuickBooks did not answer",
        AttentionCause.WaitsForAnother => "Waiting for another record",
        AttentionCause.AmountDiffers => "Amount differs in QuickBooks",
        AttentionCause.ChangedInQuickBooks => "Changed in QuickBooks",
        AttentionCause.DeletedInQuickBooks => "Deleted in QuickBooks",
        _ => "Voided in QuickBooks",
    };

    /// <summary>The group's fix, in plain words; each record's message says it for that record.</summary>
    internal static string Fix(AttentionCause cause) => cause switch
    {
        AttentionCause.CustomerToReview => "QuickBooks has a customer that looks like this client (a near name, the same email or phone). "
            + "So that no customer is created twice, it waits, with its invoices, until an admin links it to that customer, creates a new one, or keeps it out of QuickBooks.",
        AttentionCause.NameInUse => "QuickBooks needs every customer, vendor and employee name to be different, and every product name. "
            + "Rename the record in Jobkore (or the other one in QuickBooks), then retry.",
        AttentionCause.NumberInUse => "QuickBooks already has another transaction with this number. Change the number in Jobkore, then retry.",
        AttentionCause.Refused => "QuickBooks did not accept what was sent. Fix what the message names, in Jobkore or in QuickBooks, then retry.",
        AttentionCause.Connection => "Nothing of this company can be sent until QuickBooks accepts Jobkore again. An admin reconnects in Integrations; nothing waiting is lost.",
        AttentionCause.NoAnswer => "Nothing is wrong with the record: QuickBooks did not answer in time. It goes with the next sync without creating anything twice; retry to send it now.",
        AttentionCause.WaitsForAnother => "A record it needs (its client, an item, its invoice) is not in QuickBooks yet. Fix that one first; this one follows.",
        AttentionCause.AmountDiffers => "QuickBooks computed a different total, usually because automated sales tax is on in QuickBooks: it then works out the tax itself "
            + "and ignores Jobkore's. Turn it off in QuickBooks' sales tax settings (or correct the invoice here), then send it again.",
        AttentionCause.ChangedInQuickBooks => "Someone changed in QuickBooks what Jobkore sent. Nothing is sent over it until you choose whose version stays.",
        AttentionCause.DeletedInQuickBooks => "It was deleted or made inactive in QuickBooks. Re-create it from Jobkore, or leave it until you decide.",
        _ => "It was voided in QuickBooks but is still live in Jobkore. Void it here too, or send Jobkore's version again.",
    };

    private static string CauseIcon(AttentionCause cause) => cause switch
    {
        AttentionCause.CustomerToReview => Icons.Material.Outlined.PersonSearch,
        AttentionCause.AmountDiffers => Icons.Material.Filled.Warning,
        AttentionCause.NoAnswer or AttentionCause.WaitsForAnother => Icons.Material.Outlined.Schedule,
        AttentionCause.ChangedInQuickBooks => Icons.Material.Outlined.PublishedWithChanges,
        AttentionCause.DeletedInQuickBooks => Icons.Material.Outlined.DeleteForever,
        AttentionCause.VoidedInQuickBooks => Icons.Material.Outlined.Block,
        _ => Icons.Material.Filled.Cancel,
    };

    private static Color CauseColour(AttentionCause cause) => cause switch
    {
        AttentionCause.CustomerToReview or AttentionCause.AmountDiffers or AttentionCause.NoAnswer or AttentionCause.WaitsForAnother or AttentionCause.ChangedInQuickBooks or AttentionCause.VoidedInQuickBooks => Color.Warning,
        _ => Color.Error,
    };

    private static string TypeName(SyncEntityType type) => type switch
    {
        SyncEntityType.Invoice => "invoice",
        SyncEntityType.Payment => "payment",
        SyncEntityType.Client => "client",
        _ => "item",
    };

    private static string TypeSingular(SyncEntityType type) => type == SyncEntityType.CatalogItem ? "catalog item" : TypeName(type);

    private static string TypePlural(SyncEntityType type) => type switch
    {
        SyncEntityType.Invoice => "Invoices",
        SyncEntityType.Payment => "Payments",
        SyncEntityType.Client => "Clients",
        _ => "Catalog items",
    };

    /// <summary>A fix offered in place: a link to where it is made, or something done here (which returns a message, or null to report how the record stands after).</summary>
    private sealed record AttentionAction(string Text, string? Href, Func<AttentionItem, Task<string?>>? Run, bool Primary)
    {
        public static AttentionAction Link(string text, string href) => new(text, href, null, false);

        public static AttentionAction Do(string text, Func<AttentionItem, Task<string?>> run, bool primary = false) => new(text, null, run, primary);
    }
}

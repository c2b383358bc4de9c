using Jobkore.Core.Businesses;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.Security;
using Jobkore.Core.Sync;
using Jobkore.Web.Components.Shared;
using Jobkore.Web.Formatting;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Jobkore.Web.Components.Pages.Settings.QuickBooks;

public sealed partial class QuickBooksCard
{
    [Inject]
    private BusinessFormatter Format { get; set; } = null!;

    [Inject]
    private IDialogService Dialogs { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private QuickBooksConnectionService Connections { get; set; } = null!;

    [Inject]
    private SyncRuns Runs { get; set; } = null!;

    [Inject]
    private ICurrentBusiness CurrentBusiness { get; set; } = null!;

    [Inject]
    private Microsoft.Extensions.Options.IOptions<Jobkore.Web.QuickBooks.BuiltInSandboxOptions> Sandbox { get; set; } = null!;

    // Connecting leaves the app for Intuit's page: a full page load, not Blazor's enhanced navigation.
    private static readonly Dictionary<string, object> s_fullPageLoad = new() { ["data-enhance-nav"] = "false" };
    private static readonly Dictionary<string, object> s_newTab = new() { ["rel"] = "noopener" };
    private const string NeedsAttentionHref = NeedsAttentionPage.Path;
    private bool _busy;
    private bool _syncing;
    private bool _checking;

    [Parameter, EditorRequired]
    public QuickBooksConnectionView? Connection { get; set; }

    [Parameter]
    public bool CanManage { get; set; }

    /// <summary>The running sync's progress, whoever started it; Sync Now is disabled while it goes.</summary>
    [Parameter]
    public SyncRunProgress? RunProgress { get; set; }

    /// <summary>Documents waiting to be sent, when connected.</summary>
    [Parameter]
    public PendingCount? Pending { get; set; }

    /// <summary>How many clients wait for an admin's choice in Customer matches.</summary>
    [Parameter]
    public int ToReview { get; set; }

    /// <summary>Raised after a disconnect, so the page reloads the connection.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    private string StatusText => Connection?.Status switch
    {
        QuickBooksConnectionStatus.Connected => "Connected",
        QuickBooksConnectionStatus.ReconnectNeeded => "Reconnect needed",
        _ => "Not connected",
    };

    private Color StatusColor => Connection?.Status switch
    {
        QuickBooksConnectionStatus.Connected => Color.Success,
        QuickBooksConnectionStatus.ReconnectNeeded => Color.Warning,
        _ => Color.Default,
    };

    private string StatusIcon => Connection?.Status switch
    {
        QuickBooksConnectionStatus.Connected => Icons.Material.Filled.CheckCircle,
        QuickBooksConnectionStatus.ReconnectNeeded => Icons.Material.Filled.Warning,
        _ => Icons.Material.Outlined.LinkOff,
    };

    private async Task DisconnectAsync()
    {
        var parameters = new DialogParameters<DisconnectDialog> { { d => d.CompanyName, Connection!.CompanyName } };
        var dialog = await Dialogs.ShowAsync<DisconnectDialog>($"Disconnect {Connection.CompanyName}?", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            await Changed.InvokeAsync();
        }
    }

    private async Task SyncNowAsync()
    {
        _syncing = true;
        try
        {
            var result = await Runs.RequestAsync(CurrentBusiness.Profile.Id, null, SyncTrigger.SyncNow);
            Snackbar.Add(SyncRunNotices.ForSyncNow(result), Navigation);

            await Changed.InvokeAsync();
        }
        finally
        {
            _syncing = false;
        }
    }

    /// <summary>Looks at what changed in QuickBooks now, sending nothing; says what it found.</summary>
    private async Task CheckQuickBooksAsync()
    {
        _checking = true;
        try
        {
            var result = await Runs.RequestInvoicesAsync(CurrentBusiness.Profile.Id, [], SyncTrigger.CheckQuickBooks);
            Snackbar.Add(SyncRunNotices.ForCheck(result), Navigation);
            await Changed.InvokeAsync();
        }
        finally
        {
            _checking = false;
        }
    }

    private async Task ClearMappingsAsync()
    {
        _busy = true;
        try
        {
            var result = await Connections.DisconnectAsync(keepMappings: false, CancellationToken.None);
            if (result.SyncStillRunning)
            {
                Snackbar.Add($"A sync of {Connection!.CompanyName} is still finishing, so the links are kept for now. Press Clear links again in a minute.", Severity.Warning);
            }
            else
            {
                Snackbar.Add($"The links to {Connection!.CompanyName} are cleared. You can connect any company now.", Severity.Success);
            }

            await Changed.InvokeAsync();
        }
        catch (NotAllowedException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }
}

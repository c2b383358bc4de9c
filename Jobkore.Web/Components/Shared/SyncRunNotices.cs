using Jobkore.Core.Sync;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Jobkore.Web.Components.Shared;

/// <summary>What a person sees after asking for a sync run: the words, how serious it is, and where View goes (if anywhere).</summary>
public sealed record SyncRunNotice(string Message, Severity Severity, string? ViewHref = null);

/// <summary>
/// The one place that turns a sync run's result into the snackbar message a person sees. Each place that asks for a run
/// says it in its own context: the invoice list, Sync Now on the QuickBooks card, and one invoice's page. A request
/// made while another run of the business goes on (here or in another instance) waits for it, so AlreadyRunning only
/// means that another instance took the run over.
/// </summary>
public static class SyncRunNotices
{
    /// <summary>Where the View action of a run with failures goes: the failed invoices, each with what to fix.</summary>
    public const string FailedInvoicesHref = "/invoices?sync=failed";

    /// <summary>The invoices changed, deleted or voided in QuickBooks, each with its choices.</summary>
    public const string ChangedInvoicesHref = "/invoices?sync=changed";

    /// <summary>Sync selected, or Re-sync / Retry of one row, on the invoice list.</summary>
    public static SyncRunNotice ForInvoiceList(SyncRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var summary = result.Summary;
        return result.Outcome switch
        {
            SyncRunOutcome.Completed when summary.Failed > 0 =>
                new($"Synced {summary.Synced} · {summary.Failed} failed. Each failed invoice says what to fix.", Severity.Warning),
            SyncRunOutcome.Completed =>
                new(summary.Synced == 0 ? "Nothing needed sending: QuickBooks is up to date." : $"{SyncedDocuments(summary.Synced)}.", Severity.Success),
            SyncRunOutcome.AlreadyRunning => new("Another Jobkore instance took over your business's sync; what waits goes with its run.", Severity.Info),
            _ => DidNotRun(result),
        };
    }

    /// <summary>"Synced 12 documents · 1 failed — View" after Sync Now: View opens the failed invoices.</summary>
    public static SyncRunNotice ForSyncNow(SyncRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var summary = result.Summary;
        return result.Outcome switch
        {
            SyncRunOutcome.Completed when summary.Failed == 0 => new($"{SyncedDocuments(summary.Synced)}.", Severity.Success),
            SyncRunOutcome.Completed => new($"{SyncedDocuments(summary.Synced)} · {summary.Failed} failed", Severity.Warning, FailedInvoicesHref),
            SyncRunOutcome.AlreadyRunning => new("Another Jobkore instance took over your business's sync; the waiting count updates when it finishes.", Severity.Info),
            _ => DidNotRun(result),
        };
    }

    /// <summary>"Check QuickBooks now" on the QuickBooks card: what the look at QuickBooks' changes found, and where to see it.</summary>
    public static SyncRunNotice ForCheck(SyncRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var changed = result.Summary.ChangedInQuickBooks;
        return result.Outcome switch
        {
            SyncRunOutcome.Completed when changed == 0 => new("QuickBooks checked: nothing Jobkore sent was changed there.", Severity.Success),
            SyncRunOutcome.Completed => new($"QuickBooks checked: {changed} {(changed == 1 ? "record was" : "records were")} changed there. Each says what you can do.",
                Severity.Warning, ChangedInvoicesHref),
            SyncRunOutcome.AlreadyRunning => new("Another Jobkore instance took over your business's sync; it checks QuickBooks first.", Severity.Info),
            _ => DidNotRun(result),
        };
    }

    /// <summary>
    /// Re-sync or Retry on one invoice's page, given the invoice's status once reloaded. Nothing to say when the run
    /// completed but the invoice is not up to date: its sync panel says why.
    /// </summary>
    public static SyncRunNotice? ForOneInvoice(SyncRunResult result, string invoiceNumber, SyncStatus? statusAfter)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Outcome != SyncRunOutcome.Completed)
        {
            return new(result.Message ?? "The invoice was not sent.", Severity.Warning);
        }

        return statusAfter == SyncStatus.UpToDate ? new($"Invoice {invoiceNumber} is up to date in QuickBooks.", Severity.Success) : null;
    }

    /// <summary>Shows the notice (if any); a View link becomes the snackbar's action.</summary>
    public static void Add(this ISnackbar snackbar, SyncRunNotice? notice, NavigationManager navigation)
    {
        ArgumentNullException.ThrowIfNull(snackbar);
        ArgumentNullException.ThrowIfNull(navigation);
        if (notice is null)
        {
            return;
        }

        if (notice.ViewHref is not { } href)
        {
            snackbar.Add(notice.Message, notice.Severity);
            return;
        }

        snackbar.Add(notice.Message, notice.Severity, options =>
        {
            options.Action = "View";
            options.ActionColor = Color.Inherit;
            options.OnClick = _ =>
            {
                navigation.NavigateTo(href);
                return Task.CompletedTask;
            };
        });
    }

    private static SyncRunNotice DidNotRun(SyncRunResult result) => result.Outcome switch
    {
        SyncRunOutcome.NotConnected or SyncRunOutcome.Failed => new(result.Message ?? "The sync did not run.", Severity.Error),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Outcome, "A sync run outcome with no message."),
    };

    private static string SyncedDocuments(int synced) => $"Synced {synced} {(synced == 1 ? "document" : "documents")}";
}

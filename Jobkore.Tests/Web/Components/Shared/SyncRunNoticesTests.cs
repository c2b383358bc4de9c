using Jobkore.Core.Sync;
using Jobkore.Web.Components.Shared;
using MudBlazor;

namespace Jobkore.Tests.Web.Components.Shared;

public sealed class SyncRunNoticesTests
{
    private static SyncRunResult Completed(int synced, int failed) => new(SyncRunOutcome.Completed, new SyncSummary(synced, failed, 0));

    [Theory]
    [InlineData(0, 0, "Nothing needed sending: QuickBooks is up to date.", Severity.Success)]
    [InlineData(1, 0, "Synced 1 document.", Severity.Success)]
    [InlineData(3, 0, "Synced 3 documents.", Severity.Success)]
    [InlineData(2, 1, "Synced 2 · 1 failed. Each failed invoice says what to fix.", Severity.Warning)]
    public void ForInvoiceList_Completed_SaysWhatWasSent(int synced, int failed, string message, Severity severity)
    {
        var sut = SyncRunNotices.ForInvoiceList(Completed(synced, failed));

        sut.ShouldBe(new SyncRunNotice(message, severity));
    }

    [Theory]
    [InlineData(0, 0, "Synced 0 documents.", Severity.Success, null)]
    [InlineData(1, 0, "Synced 1 document.", Severity.Success, null)]
    [InlineData(12, 1, "Synced 12 documents · 1 failed", Severity.Warning, SyncRunNotices.FailedInvoicesHref)]
    public void ForSyncNow_Completed_SaysWhatWasSentAndLinksTheFailures(int synced, int failed, string message, Severity severity, string? viewHref)
    {
        var sut = SyncRunNotices.ForSyncNow(Completed(synced, failed));

        sut.ShouldBe(new SyncRunNotice(message, severity, viewHref));
    }

    [Fact]
    public void ForSyncNowAndForInvoiceList_AlreadyRunning_SayWhatHappensNext()
    {
        var running = new SyncRunResult(SyncRunOutcome.AlreadyRunning, SyncSummary.Empty);

        SyncRunNotices.ForSyncNow(running).ShouldBe(new SyncRunNotice("Another Jobkore instance took over your business's sync; the waiting count updates when it finishes.", Severity.Info));
        SyncRunNotices.ForInvoiceList(running).ShouldBe(new SyncRunNotice("Another Jobkore instance took over your business's sync; what waits goes with its run.", Severity.Info));
    }

    [Theory]
    [InlineData(SyncRunOutcome.NotConnected, "Reconnect QuickBooks.", "Reconnect QuickBooks.")]
    [InlineData(SyncRunOutcome.Failed, null, "The sync did not run.")]
    public void ForSyncNowAndForInvoiceList_NotRun_ShowTheRunsMessageAsAnError(SyncRunOutcome outcome, string? runMessage, string message)
    {
        var result = new SyncRunResult(outcome, SyncSummary.Empty, runMessage);

        SyncRunNotices.ForSyncNow(result).ShouldBe(new SyncRunNotice(message, Severity.Error));
        SyncRunNotices.ForInvoiceList(result).ShouldBe(new SyncRunNotice(message, Severity.Error));
    }

    [Fact]
    public void ForOneInvoice_CompletedAndUpToDate_SaysSo()
    {
        var sut = SyncRunNotices.ForOneInvoice(Completed(1, 0), "INV-0007", SyncStatus.UpToDate);

        sut.ShouldBe(new SyncRunNotice("Invoice INV-0007 is up to date in QuickBooks.", Severity.Success));
    }

    [Fact]
    public void ForOneInvoice_CompletedButNotUpToDate_SaysNothing()
    {
        var sut = SyncRunNotices.ForOneInvoice(Completed(0, 1), "INV-0007", SyncStatus.Failed);

        sut.ShouldBeNull();
    }

    [Theory]
    [InlineData(SyncRunOutcome.AlreadyRunning, null, "The invoice was not sent.")]
    [InlineData(SyncRunOutcome.NotConnected, "Reconnect QuickBooks.", "Reconnect QuickBooks.")]
    public void ForOneInvoice_NotCompleted_WarnsWithTheRunsMessage(SyncRunOutcome outcome, string? runMessage, string message)
    {
        var sut = SyncRunNotices.ForOneInvoice(new SyncRunResult(outcome, SyncSummary.Empty, runMessage), "INV-0007", null);

        sut.ShouldBe(new SyncRunNotice(message, Severity.Warning));
    }
}

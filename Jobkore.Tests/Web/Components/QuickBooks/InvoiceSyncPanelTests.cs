using Bunit;
using Jobkore.Core.Sync;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Invoices;
using MudBlazor;

namespace Jobkore.Tests.Web.Components.QuickBooks;

/// <summary>The invoice page's QuickBooks panel: status, message and what to do, QuickBooks id and link, attempt history.</summary>
public sealed class InvoiceSyncPanelTests : JobkoreBunitContext
{
    public InvoiceSyncPanelTests()
        : base(seedDemoData: false)
    {
        Render<MudPopoverProvider>();
    }

    private static readonly DateTimeOffset s_at = TestServices.Now;

    [Fact]
    public void Failed_ShowsTheMessageWhatToDoRetryAndTheHistoryWithIntuitsTraceId()
    {
        var message = "QuickBooks already has a vendor or employee named 'Bob's Burgers'. Rename the client in Jobkore or in QuickBooks, then retry.";
        var retried = false;
        var cut = Render<InvoiceSyncPanel>(p => p
            .Add(x => x.Sync, new SyncView(SyncStatus.Failed, message, null))
            .Add(x => x.History, [new SyncAttemptView(s_at, "Create", false, null, "6240", "Duplicate Name Exists Error", "1-5f8c2a-77")])
            .Add(x => x.Resync, () => retried = true));

        cut.Find("[data-testid=sync-badge]").GetAttribute("data-sync-status").ShouldBe("Failed");
        cut.Find("[data-testid=sync-message]").TextContent.ShouldBe(message);
        cut.Find("[data-testid=sync-hint]").TextContent.ShouldContain("then press Retry");
        cut.FindAll("[data-testid=qbo-id]").ShouldBeEmpty();
        var history = cut.Find("[data-testid=sync-history]");
        history.TextContent.ShouldContain("Create failed · code 6240");
        history.TextContent.ShouldContain("Duplicate Name Exists Error");
        history.TextContent.ShouldContain("intuit_tid 1-5f8c2a-77");

        cut.Find("button[aria-label='Retry sending to QuickBooks']").Click();
        retried.ShouldBeTrue();
    }

    [Fact]
    public void UpToDate_ShowsTheQuickBooksIdTheLinkAndTheHistoryNewestFirst()
    {
        var cut = Render<InvoiceSyncPanel>(p => p
            .Add(x => x.Sync, new SyncView(SyncStatus.UpToDate, null, "145"))
            .Add(x => x.OpenUrl, "/qbo-sandbox/_sandbox/companies/9341452713218474/invoices/145")
            .Add(x => x.History, [
                new SyncAttemptView(s_at.AddMinutes(5), "Update", true, "145", null, null, "1-b"),
                new SyncAttemptView(s_at, "Create", true, "145", null, null, "1-a"),
            ]));

        cut.Find("[data-testid=sync-badge]").GetAttribute("data-sync-status").ShouldBe("UpToDate");
        cut.FindAll("[data-testid=sync-hint]").ShouldBeEmpty();
        cut.FindAll("button").ShouldBeEmpty();
        cut.Find("[data-testid=qbo-id]").TextContent.ShouldBe("145");
        cut.Find("[data-testid=open-in-quickbooks]").GetAttribute("href").ShouldBe("/qbo-sandbox/_sandbox/companies/9341452713218474/invoices/145");
        var items = cut.FindAll("[data-testid=sync-history] li");
        items.Count.ShouldBe(2);
        items[0].TextContent.ShouldContain("Updated in QuickBooks");
        items[1].TextContent.ShouldContain("Created in QuickBooks");
    }

    [Fact]
    public void Edited_SaysWhatHappensNextAndOffersResync()
    {
        var cut = Render<InvoiceSyncPanel>(p => p.Add(x => x.Sync, new SyncView(SyncStatus.Edited, null, "145")));

        cut.Find("[data-testid=sync-hint]").TextContent.ShouldContain("or now with Re-sync");
        cut.Find("button[aria-label='Re-sync to QuickBooks']");
    }

    [Fact]
    public void NotSyncedYet_SaysWhenItWillGo_AndHasNoHistory()
    {
        var cut = Render<InvoiceSyncPanel>(p => p.Add(x => x.Sync, new SyncView(SyncStatus.NotSynced, null, null)));

        cut.Find("[data-testid=sync-hint]").TextContent.ShouldContain("with the next sync");
        cut.Markup.ShouldContain("Not sent to QuickBooks yet.");
    }

    [Fact]
    public void Syncing_ShowsTheSpinnerAndNoAction()
    {
        var cut = Render<InvoiceSyncPanel>(p => p.Add(x => x.Sync, new SyncView(SyncStatus.Failed, "x", null)).Add(x => x.Syncing, true));

        cut.Find("[data-testid=sync-badge]").GetAttribute("data-sync-status").ShouldBe("Syncing");
        cut.FindAll("button").ShouldBeEmpty();
        cut.FindAll("[data-testid=sync-hint]").ShouldBeEmpty();
    }

    [Fact]
    public void AmountDiffers_ShowsTheWarningAndWhatToCompare()
    {
        var cut = Render<InvoiceSyncPanel>(p => p.Add(x => x.Sync, new SyncView(SyncStatus.Warning, "QuickBooks shows $110.00 for this invoice; Jobkore $100.00.", "7")));

        cut.Find("[data-testid=sync-badge]").GetAttribute("data-sync-status").ShouldBe("Warning");
        cut.Find("[data-testid=sync-message]").TextContent.ShouldContain("$110.00");
        cut.Find("[data-testid=sync-hint]").TextContent.ShouldContain("Compare the invoice in QuickBooks");
    }
}

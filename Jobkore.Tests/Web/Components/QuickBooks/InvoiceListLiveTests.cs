using Bunit;
using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Invoices;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Jobkore.Tests.Web.Components.QuickBooks;

/// <summary>The invoice list's QuickBooks column follows changes live, can be filtered by status, and offers Sync selected.</summary>
public sealed class InvoiceListLiveTests : JobkoreBunitContext
{
    private const string Realm = QuickBooksApp.AcmeRealm;

    public InvoiceListLiveTests()
        : base(seedDemoData: true)
    {
    }

    private int Business => Services.GetRequiredService<ICurrentBusiness>().Profile.Id;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<IRenderedComponent<InvoicesPage>> RenderConnectedAsync(string url = "/invoices")
    {
        await SeedQuickBooksConnectionAsync(Realm);
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        Render<MudPopoverProvider>();
        var cut = Render<InvoicesPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=sync-badge]").Count.ShouldBeGreaterThan(0));
        return cut;
    }

    private static int InvoiceIdOfRow(IRenderedComponent<InvoicesPage> cut, int row) =>
        int.Parse(cut.FindAll("tbody tr")[row].QuerySelector("a.jk-link")!.GetAttribute("href")!.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);

    private static string StatusOfRow(IRenderedComponent<InvoicesPage> cut, int row) =>
        cut.FindAll("tbody tr")[row].QuerySelector("[data-testid=sync-badge]")?.GetAttribute("data-sync-status") ?? "(none)";

    private async Task FailAsync(int invoiceId, string message)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var record = new SyncRecord(Business, Realm, SyncEntityType.Invoice, invoiceId);
        record.FailedWith(message, "6000", "1-abc", TestServices.Now);
        db.SyncRecords.Add(record);
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task ARecordFailingElsewhere_TurnsItsBadgeRedWithoutAReload()
    {
        var cut = await RenderConnectedAsync();
        var row = Enumerable.Range(0, 25).First(r => StatusOfRow(cut, r) == "NotSynced");
        var id = InvoiceIdOfRow(cut, row);

        await FailAsync(id, "QuickBooks refused invoice: the customer is inactive.");

        cut.WaitForAssertion(() => StatusOfRow(cut, row).ShouldBe("Failed"), TimeSpan.FromSeconds(5));
        cut.FindAll("tbody tr")[row].QuerySelector("[aria-label^='QuickBooks: Sync failed']")!.GetAttribute("aria-label")!
            .ShouldContain("the customer is inactive");
    }

    [Fact]
    public async Task ARunSendingInvoices_ShowsThemSyncing_UntilItFinishes()
    {
        var cut = await RenderConnectedAsync();
        var row = Enumerable.Range(0, 25).First(r => StatusOfRow(cut, r) == "NotSynced");
        var id = InvoiceIdOfRow(cut, row);
        var notifier = Services.GetRequiredService<SyncNotifier>();

        notifier.Publish(new SyncRunStarted(Business, SyncTrigger.SyncNow));
        notifier.Publish(new SyncRunSending(Business, new HashSet<int> { id }));

        cut.WaitForAssertion(() => StatusOfRow(cut, row).ShouldBe("Syncing"));
        cut.FindAll("[data-sync-status=Syncing]").Count.ShouldBe(1);

        notifier.Publish(new SyncRunFinished(Business, new SyncRunResult(SyncRunOutcome.Completed, SyncSummary.Empty)));

        cut.WaitForAssertion(() => StatusOfRow(cut, row).ShouldBe("NotSynced"));
    }

    [Fact]
    public async Task EventsMissedFromAnotherInstance_DuringARun_ForgetTheRun()
    {
        var cut = await RenderConnectedAsync();
        var row = Enumerable.Range(0, 25).First(r => StatusOfRow(cut, r) == "NotSynced");
        var id = InvoiceIdOfRow(cut, row);
        var notifier = Services.GetRequiredService<SyncNotifier>();
        notifier.Publish(new SyncRunStarted(Business, SyncTrigger.SyncNow));
        notifier.Publish(new SyncRunSending(Business, new HashSet<int> { id }));
        cut.WaitForAssertion(() => StatusOfRow(cut, row).ShouldBe("Syncing"));

        // The run's end may be among what was missed: the invoice shows its own status again.
        notifier.Publish(new SyncEventsMissed(Business));

        cut.WaitForAssertion(() => StatusOfRow(cut, row).ShouldBe("NotSynced"));
        cut.FindAll("[data-sync-status=Syncing]").ShouldBeEmpty();
    }

    [Fact]
    public async Task AnotherBusinesssEvents_ChangeNothing()
    {
        var cut = await RenderConnectedAsync();
        var before = cut.Markup;

        Services.GetRequiredService<SyncNotifier>().Publish(new SyncRunSending(Business + 1000, new HashSet<int>(Enumerable.Range(0, 10_000))));
        await Task.Delay(300, Ct);

        cut.FindAll("[data-sync-status=Syncing]").ShouldBeEmpty();
        cut.Markup.ShouldBe(before);
    }

    [Fact]
    public async Task OpenedWithTheFailedFilter_ShowsOnlyFailedInvoices()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        int failedId;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct))
        {
            failedId = await db.Invoices.Where(i => i.Status != Jobkore.Core.Domain.InvoiceStatus.Draft).OrderBy(i => i.Id).Select(i => i.Id).FirstAsync(Ct);
        }

        await FailAsync(failedId, "QuickBooks refused invoice: the customer is inactive.");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/invoices?sync=failed");
        Render<MudPopoverProvider>();
        var cut = Render<InvoicesPage>();

        cut.WaitForAssertion(() => cut.FindAll("tbody tr").Count.ShouldBe(1));
        InvoiceIdOfRow(cut, 0).ShouldBe(failedId);
        StatusOfRow(cut, 0).ShouldBe("Failed");
        cut.Find("[data-testid=page-range]").TextContent.ShouldBe("1–1 of 1");
    }

    [Fact]
    public async Task SelectingInvoices_OffersSyncSelectedWithTheirCount()
    {
        var cut = await RenderConnectedAsync();

        cut.Find("[aria-label='Select every invoice on this page'] input, input[aria-label='Select every invoice on this page']").Change(true);

        cut.WaitForAssertion(() => cut.Find("[data-testid=sync-selected]").TextContent.ShouldContain("Sync selected (25)"));
    }

    private async Task<DbCommandCounter> CountCommandsAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var counter = new DbCommandCounter(db.Database.GetConnectionString()!);
        (await db.Invoices.CountAsync(Ct)).ShouldBeGreaterThan(0);
        counter.Commands.Count.ShouldBe(1, "the counter sees this database's commands");
        counter.Reset();
        return counter;
    }

    [Fact]
    public async Task ANewStatusOfARowShown_IsPatchedIn_WithoutAQuery_AndOneOfARowNotShown_CostsNothing()
    {
        var cut = await RenderConnectedAsync();
        var row = Enumerable.Range(0, 25).First(r => StatusOfRow(cut, r) == "NotSynced");
        var id = InvoiceIdOfRow(cut, row);
        using var commands = await CountCommandsAsync();
        var notifier = Services.GetRequiredService<SyncNotifier>();

        notifier.Publish(new SyncStatusChanged(Business, [
            new SyncRecordChange(SyncEntityType.Invoice, id, SyncRecordChangeKind.Status, new SyncView(SyncStatus.Failed, "QuickBooks refused the invoice: the customer is inactive.", null)),
            new SyncRecordChange(SyncEntityType.Invoice, 1_000_000, SyncRecordChangeKind.Status, new SyncView(SyncStatus.UpToDate, null, "77")),
            new SyncRecordChange(SyncEntityType.Client, 1, SyncRecordChangeKind.Status, new SyncView(SyncStatus.UpToDate, null, "5")),
        ], new PendingCount(3, 1)));

        cut.WaitForAssertion(() => StatusOfRow(cut, row).ShouldBe("Failed"));
        cut.FindAll("tbody tr")[row].QuerySelector("[aria-label^='QuickBooks: Sync failed']")!.GetAttribute("aria-label")!.ShouldContain("the customer is inactive");
        await Task.Delay(500, Ct); // a reload asked for would have run at once: the listener had not reloaded yet
        commands.Commands.ShouldBeEmpty("the event carried the new state");
    }

    [Fact]
    public async Task ANewInvoice_OrARowLeavingTheFilter_ReadsThePageAgain()
    {
        var cut = await RenderConnectedAsync("/invoices?sync=waiting");
        var id = InvoiceIdOfRow(cut, 0);
        var notifier = Services.GetRequiredService<SyncNotifier>();

        using (var commands = await CountCommandsAsync())
        {
            notifier.Publish(new SyncStatusChanged(Business, [new SyncRecordChange(SyncEntityType.Invoice, 1_000_000, SyncRecordChangeKind.Added, null)], new PendingCount(3, 0)));
            await WaitForCommandsAsync(commands, "a new invoice may belong on the page");
        }

        using (var commands = await CountCommandsAsync())
        {
            notifier.Publish(new SyncStatusChanged(Business, [new SyncRecordChange(SyncEntityType.Invoice, id, SyncRecordChangeKind.Status, new SyncView(SyncStatus.UpToDate, null, "42"))], new PendingCount(2, 0)));
            await WaitForCommandsAsync(commands, "an up-to-date invoice leaves the list of waiting ones");
        }
    }

    /// <summary>Waits for the page to query, moving the fake clock on meanwhile: after a reload, the listener folds further ones into the next until its quiet interval passes.</summary>
    private async Task WaitForCommandsAsync(DbCommandCounter commands, string because)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (commands.Commands.Count == 0)
        {
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), because);
            Time.Advance(TimeSpan.FromMilliseconds(300));
            await Task.Delay(50, Ct);
        }
    }
}

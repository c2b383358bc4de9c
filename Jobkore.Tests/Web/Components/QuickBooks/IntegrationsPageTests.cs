using Bunit;
using Jobkore.Core.Businesses;
using Jobkore.Core.Sync;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Settings;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Jobkore.Tests.Web.Components.QuickBooks;

/// <summary>The integrations page follows runs and changes live, through the notifier, for its own business only.</summary>
public sealed class IntegrationsPageTests : JobkoreBunitContext
{
    public IntegrationsPageTests()
        : base(seedDemoData: true)
    {
    }

    private int Business => Services.GetRequiredService<ICurrentBusiness>().Profile.Id;

    private async Task<IRenderedComponent<IntegrationsPage>> RenderConnectedAsync()
    {
        await SeedQuickBooksConnectionAsync("9341452713218474");
        Render<MudPopoverProvider>();
        var cut = Render<IntegrationsPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=waiting-count]"));
        return cut;
    }

    [Fact]
    public async Task ARunStartedAnywhere_ShowsItsProgressAndDisablesSyncNow_UntilItFinishes()
    {
        var cut = await RenderConnectedAsync();
        var notifier = Services.GetRequiredService<SyncNotifier>();

        notifier.Publish(new SyncRunStarted(Business, SyncTrigger.AutoSync));
        notifier.Publish(new SyncRunProgress(Business, 3, 10));

        cut.WaitForAssertion(() => cut.Find("[data-testid=sync-progress]").TextContent.ShouldContain("Syncing 3 of 10"));
        cut.Find("[data-testid=sync-now]").HasAttribute("disabled").ShouldBeTrue();

        notifier.Publish(new SyncRunFinished(Business, new SyncRunResult(SyncRunOutcome.Completed, new SyncSummary(10, 0, 2))));

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=sync-progress]").ShouldBeEmpty());
        cut.Find("[data-testid=sync-now]").HasAttribute("disabled").ShouldBeFalse();
    }

    [Fact]
    public async Task EventsMissedFromAnotherInstance_DuringARun_ForgetItsProgress()
    {
        var cut = await RenderConnectedAsync();
        var notifier = Services.GetRequiredService<SyncNotifier>();
        notifier.Publish(new SyncRunStarted(Business, SyncTrigger.AutoSync));
        notifier.Publish(new SyncRunProgress(Business, 3, 10));
        cut.WaitForAssertion(() => cut.Find("[data-testid=sync-progress]").TextContent.ShouldContain("Syncing 3 of 10"));

        notifier.Publish(new SyncEventsMissed(Business));

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=sync-progress]").ShouldBeEmpty());
        cut.Find("[data-testid=sync-now]").HasAttribute("disabled").ShouldBeFalse();
    }

    [Fact]
    public async Task AnotherBusinesssRun_IsNotShown()
    {
        var cut = await RenderConnectedAsync();

        Services.GetRequiredService<SyncNotifier>().Publish(new SyncRunProgress(Business + 1000, 3, 10));
        await Task.Delay(300, Xunit.TestContext.Current.CancellationToken);

        cut.FindAll("[data-testid=sync-progress]").ShouldBeEmpty();
    }

    [Fact]
    public async Task AnInvoiceMarkedSentElsewhere_RaisesTheWaitingCountWithoutAReload()
    {
        var cut = await RenderConnectedAsync();
        var before = cut.Find("[data-testid=waiting-count]").TextContent;
        int draftId;
        await using (var scope = Services.CreateAsyncScope())
        {
            var invoices = scope.ServiceProvider.GetRequiredService<Jobkore.Core.Invoices.InvoiceService>();
            var page = await invoices.ListAsync(new Jobkore.Core.Common.PageRequest(0, 100, null, null, false),
                new Jobkore.Core.Invoices.InvoiceListFilter(Jobkore.Core.Domain.InvoiceStatus.Draft), Xunit.TestContext.Current.CancellationToken);
            draftId = page.Items[0].Id;
            await invoices.MarkSentAsync(draftId, Xunit.TestContext.Current.CancellationToken);
        }

        cut.WaitForAssertion(() => cut.Find("[data-testid=waiting-count]").TextContent.ShouldNotBe(before), TimeSpan.FromSeconds(5));
    }
}

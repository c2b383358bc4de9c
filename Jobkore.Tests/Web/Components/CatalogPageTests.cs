using Bunit;
using Jobkore.Core.Catalog;
using Jobkore.Core.Common;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Catalog;
using Microsoft.Extensions.DependencyInjection;
using static Jobkore.Tests.TestSupport.SyncBadgeSupport;

namespace Jobkore.Tests.Web.Components;

public sealed class CatalogPageTests() : JobkoreBunitContext(seedDemoData: true)
{
    private const string Realm = QuickBooksApp.AcmeRealm;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IRenderedComponent<CatalogPage> RenderList() => RenderListPage<CatalogPage>();

    /// <summary>The items of the list's first page, in its order (by name).</summary>
    private async Task<IReadOnlyList<CatalogItemRow>> FirstPageAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<CatalogService>().ListAsync(new PageRequest(SortBy: CatalogService.SortKeys.Name), activeOnly: false, Ct)).Items;
    }

    [Fact]
    public void Render_QuickBooksNotConnected_HasNoQuickBooksColumn()
    {
        RenderList().ShouldShowNothingOfQuickBooks();
    }

    [Fact]
    public async Task Render_QuickBooksConnected_ShowsEachItemsBadge_WithTheFailureOrThatItGoesWithTheFirstInvoiceUsingIt()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        var items = await FirstPageAsync();
        var clash = $"QuickBooks already has an item named '{items[1].Name}'. Rename the item in Jobkore or in QuickBooks, then retry.";
        await Services.SeedSyncRecordAsync(Realm, SyncEntityType.CatalogItem, items[0].Id, (r, hash) => r.Succeeded("21", "0", hash, TestServices.Now));
        await Services.SeedSyncRecordAsync(Realm, SyncEntityType.CatalogItem, items[1].Id, (r, _) => r.FailedWith(clash, "6240", "tid-1", TestServices.Now));
        await Services.SeedSyncRecordAsync(Realm, SyncEntityType.CatalogItem, items[2].Id, (r, _) => r.Succeeded("22", "0", "an older hash", TestServices.Now));

        var cut = RenderList();

        cut.FindAll("th").Select(th => th.TextContent.Trim()).ShouldContain("QuickBooks");
        var rows = cut.FindAll("tbody tr");
        rows.Take(4).Select(r => r.Children[0].TextContent.Trim()).ShouldBe(items.Take(4).Select(i => i.Name));
        Badge(rows[0]).ShouldBe(("UpToDate", "QuickBooks: Up to date"));
        Badge(rows[1]).ShouldBe(("Failed", $"QuickBooks: Sync failed. {clash}"));
        Badge(rows[2]).ShouldBe(("Edited", "QuickBooks: Edited since last sync"));
        Badge(rows[3]).ShouldBe(("NotSynced", "QuickBooks: Not synced yet. Sent to QuickBooks with the first invoice that uses it."));
        rows.ShouldAllBe(r => Badge(r).Status != null);
        cut.FindAll("[data-testid=sync-badge] button").ShouldBeEmpty("an item is retried from its invoice or Sync Now");
    }
}

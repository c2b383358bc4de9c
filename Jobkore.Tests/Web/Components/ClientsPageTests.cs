using Bunit;
using Jobkore.Core.Businesses;
using Jobkore.Core.Clients;
using Jobkore.Core.Common;
using Jobkore.Core.Data;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Jobkore.Tests.TestSupport.SyncBadgeSupport;

namespace Jobkore.Tests.Web.Components;

public sealed class ClientsPageTests() : JobkoreBunitContext(seedDemoData: true)
{
    private const string Realm = QuickBooksApp.AcmeRealm;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IRenderedComponent<ClientsPage> RenderList() => RenderListPage<ClientsPage>();

    /// <summary>The clients of the list's first page, in its order (by name).</summary>
    private async Task<IReadOnlyList<ClientRow>> FirstPageAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ClientService>().ListAsync(new PageRequest(SortBy: ClientService.SortKeys.Name), Ct)).Items;
    }

    [Fact]
    public void Render_QuickBooksNotConnected_HasNoQuickBooksColumn()
    {
        RenderList().ShouldShowNothingOfQuickBooks();
    }

    [Fact]
    public async Task Render_QuickBooksConnected_ShowsEachClientsBadge_WithTheFailureOrThatItGoesWithItsFirstInvoice()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        var clients = await FirstPageAsync();
        var clash = $"QuickBooks already has a vendor or employee named '{clients[1].DisplayName}'. Rename the client in Jobkore or in QuickBooks, then retry.";
        await Services.SeedSyncRecordAsync(Realm, SyncEntityType.Client, clients[0].Id, (r, hash) => r.Succeeded("58", "0", hash, TestServices.Now));
        await Services.SeedSyncRecordAsync(Realm, SyncEntityType.Client, clients[1].Id, (r, _) => r.FailedWith(clash, "6240", "tid-1", TestServices.Now));
        await Services.SeedSyncRecordAsync(Realm, SyncEntityType.Client, clients[2].Id, (r, _) => r.Succeeded("59", "0", "an older hash", TestServices.Now));

        var cut = RenderList();

        cut.FindAll("th").Select(th => th.TextContent.Trim()).ShouldContain("QuickBooks");
        var rows = cut.FindAll("tbody tr");
        rows.Take(4).Select(r => r.Children[0].TextContent.Trim()).ShouldBe(clients.Take(4).Select(c => c.DisplayName));
        Badge(rows[0]).ShouldBe(("UpToDate", "QuickBooks: Up to date"));
        Badge(rows[1]).ShouldBe(("Failed", $"QuickBooks: Sync failed. {clash}"));
        Badge(rows[2]).ShouldBe(("Edited", "QuickBooks: Edited since last sync"));
        Badge(rows[3]).ShouldBe(("NotSynced", "QuickBooks: Not synced yet. Sent to QuickBooks with its first invoice."));
        rows.ShouldAllBe(r => Badge(r).Status != null);
        cut.FindAll("[data-testid=sync-badge] button").ShouldBeEmpty("a client is retried from its invoice or Sync Now");
    }

    [Fact]
    public async Task AClientFailingWhileTheListIsOpen_TurnsRedWithoutAReload()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        var clients = await FirstPageAsync();
        var cut = RenderList();
        Badge(cut.FindAll("tbody tr")[0]).Status.ShouldBe("NotSynced");

        await Services.SeedSyncRecordAsync(Realm, SyncEntityType.Client, clients[0].Id, (r, _) => r.FailedWith("Rename it, then retry.", "6240", "tid-1", TestServices.Now));

        cut.WaitForAssertion(() => Badge(cut.FindAll("tbody tr")[0]).Status.ShouldBe("Failed"), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task EventsMissedFromAnotherInstance_ReloadTheList()
    {
        var clients = await FirstPageAsync();
        var cut = RenderList();
        await using (var db = await Services.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct))
        {
            // Written as another instance would: no event reaches this one's notifier.
            await db.Clients.Where(c => c.Id == clients[0].Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.DisplayName, "Aaron Abbott"), Ct);
        }

        Services.GetRequiredService<SyncNotifier>().Publish(new SyncEventsMissed(Services.GetRequiredService<ICurrentBusiness>().Profile.Id));

        cut.WaitForAssertion(() => cut.FindAll("tbody tr")[0].TextContent.ShouldContain("Aaron Abbott"), TimeSpan.FromSeconds(5));
    }
}

using Bunit;
using Jobkore.Core.Common;
using Jobkore.Core.Payments;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Payments;
using Microsoft.Extensions.DependencyInjection;
using static Jobkore.Tests.TestSupport.SyncBadgeSupport;

namespace Jobkore.Tests.Web.Components;

public sealed class PaymentsPageTests() : JobkoreBunitContext(seedDemoData: true)
{
    private const string Realm = QuickBooksApp.AcmeRealm;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IRenderedComponent<PaymentsPage> RenderList() => RenderListPage<PaymentsPage>();

    /// <summary>The payments of the list's first page, in its order (newest first).</summary>
    private async Task<IReadOnlyList<PaymentRow>> FirstPageAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<PaymentService>().ListAsync(new PageRequest(SortBy: PaymentService.SortKeys.Date, Descending: true), Ct)).Items;
    }

    [Fact]
    public void Render_QuickBooksNotConnected_HasNoQuickBooksColumn()
    {
        RenderList().ShouldShowNothingOfQuickBooks();
    }

    [Fact]
    public async Task Render_QuickBooksConnected_ShowsEachPaymentsBadge_WithTheFailuresMessage()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        var payments = await FirstPageAsync();
        var failure = $"The payment on invoice {payments[1].InvoiceNumber} was not sent because its invoice could not be sent. Fix that first; this payment follows on the next sync.";
        await Services.SeedSyncRecordAsync(Realm, SyncEntityType.Payment, payments[0].Id, (r, hash) => r.Succeeded("301", "0", hash, TestServices.Now));
        await Services.SeedSyncRecordAsync(Realm, SyncEntityType.Payment, payments[1].Id, (r, _) => r.FailedWith(failure, null, null, TestServices.Now));

        var cut = RenderList();

        cut.FindAll("th").Select(th => th.TextContent.Trim()).ShouldContain("QuickBooks");
        var rows = cut.FindAll("tbody tr");
        rows.Take(3).Select(r => r.Children[1].TextContent.Trim()).ShouldBe(payments.Take(3).Select(p => p.InvoiceNumber));
        Badge(rows[0]).ShouldBe(("UpToDate", "QuickBooks: Up to date"));
        Badge(rows[1]).ShouldBe(("Failed", $"QuickBooks: Sync failed. {failure}"));
        Badge(rows[2]).ShouldBe(("NotSynced", "QuickBooks: Not synced yet"));
        rows.ShouldAllBe(r => Badge(r).Status != null);
        cut.FindAll("[data-testid=sync-badge] button").ShouldBeEmpty("a payment is retried from its invoice or Sync Now");
    }
}

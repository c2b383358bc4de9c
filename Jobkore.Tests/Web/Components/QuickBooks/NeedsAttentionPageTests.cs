using AngleSharp.Dom;
using Bunit;
using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Settings.QuickBooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Jobkore.Tests.Web.Components.QuickBooks;

/// <summary>Needs attention shows each record under its cause with its fixes, and follows changes live.</summary>
public sealed class NeedsAttentionPageTests : JobkoreBunitContext
{
    private const string Realm = "9341452713218474";

    public NeedsAttentionPageTests()
        : base(seedDemoData: true)
    {
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private int Business => Services.GetRequiredService<ICurrentBusiness>().Profile.Id;

    [Fact]
    public async Task NotConnected_SaysSo_AndLinksToIntegrations()
    {
        var cut = Render<NeedsAttentionPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=not-connected]").TextContent.ShouldContain("QuickBooks is not connected"));
        cut.Find("[data-testid=not-connected] a").GetAttribute("href").ShouldBe("/settings/integrations");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task NothingWrong_SaysNothingNeedsAttention()
    {
        await SeedQuickBooksConnectionAsync(Realm);

        var cut = Render<NeedsAttentionPage>();

        cut.WaitForAssertion(() => cut.Markup.ShouldContain("Nothing needs attention"));
        cut.FindAll("[data-testid=attention-item]").ShouldBeEmpty();
    }

    [Fact]
    public async Task EachRecord_IsUnderItsCause_WithTheFixInWords_AndItsActionsNamedForIt()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        var (client, invoice, item) = await SeedProblemsAsync();
        Render<MudPopoverProvider>();

        var cut = Render<NeedsAttentionPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=attention-item]").Count.ShouldBe(3));
        cut.Find("[data-testid=attention-count]").TextContent.ShouldBe("3 records need attention.");
        var groups = cut.FindAll("[data-testid=attention-group]");
        groups.Select(g => g.GetAttribute("data-cause")).ShouldBe(["NameInUse", "AmountDiffers", "DeletedInQuickBooks"]);
        groups[0].QuerySelector("h2")!.TextContent.ShouldBe("Name already used in QuickBooks (1)");
        groups[0].TextContent.ShouldContain("Rename the record in Jobkore");

        var clash = Item(cut, SyncEntityType.Client, client.Id);
        clash.QuerySelector("h3 a")!.TextContent.ShouldBe($"Client {client.DisplayName}");
        clash.QuerySelector("[data-testid=attention-message]")!.TextContent.ShouldBe("QuickBooks already has a vendor or employee named 'x'. Rename the client in Jobkore or in QuickBooks, then retry.");
        Actions(clash).ShouldBe([$"Rename the client: Client {client.DisplayName}", $"Retry: Client {client.DisplayName}"]);
        clash.QuerySelector("a[aria-label^='Rename the client']")!.GetAttribute("href").ShouldBe($"/clients/{client.Id}/edit");

        var differs = Item(cut, SyncEntityType.Invoice, invoice.Id);
        differs.TextContent.ShouldContain(invoice.Client!.DisplayName);
        Actions(differs).ShouldBe([$"Send again: Invoice {invoice.Number}", $"Open the invoice: Invoice {invoice.Number}"]);

        var deleted = Item(cut, SyncEntityType.CatalogItem, item.Id);
        Actions(deleted).ShouldBe([$"Re-create in QuickBooks: Catalog item {item.Name}", $"Open the catalog item: Catalog item {item.Name}"]);
    }

    [Fact]
    public async Task TheTypeFilter_ShowsOnlyThatType()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        await SeedProblemsAsync();
        Render<MudPopoverProvider>();
        var cut = Render<NeedsAttentionPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=attention-item]").Count.ShouldBe(3));

        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<SyncEntityType?>>().Instance.ValueChanged.InvokeAsync(SyncEntityType.Client));

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=attention-item]").Select(i => i.GetAttribute("data-type")).ShouldBe(["Client"]));
    }

    [Fact]
    public async Task ARecordFixedElsewhere_LeavesTheListLive()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        var (client, _, _) = await SeedProblemsAsync();
        Render<MudPopoverProvider>();
        var cut = Render<NeedsAttentionPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=attention-item]").Count.ShouldBe(3));

        await using (var db = await DbAsync())
        {
            var record = await db.SyncRecords.SingleAsync(r => r.EntityType == SyncEntityType.Client && r.EntityId == client.Id, Ct);
            var hash = await db.Clients.Where(c => c.Id == client.Id).Select(c => EF.Property<string>(c, "SyncHash")).SingleAsync(Ct);
            record.Succeeded("77", "0", hash, TestServices.Now);
            await db.SaveChangesAsync(Ct);
        }

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=attention-item]").Count.ShouldBe(2), TimeSpan.FromSeconds(5));
        cut.FindAll($"[data-testid=attention-item][data-type=Client]").ShouldBeEmpty();
    }

    private static IElement Item(IRenderedComponent<NeedsAttentionPage> cut, SyncEntityType type, int id) =>
        cut.Find($"[data-testid=attention-item][data-type={type}][data-id='{id}']");

    private static string?[] Actions(IElement item) => [.. item.QuerySelectorAll(".jk-attention-actions [aria-label]").Select(a => a.GetAttribute("aria-label"))];

    /// <summary>A client whose name QuickBooks refused, an invoice QuickBooks took with another amount, and an item deleted in QuickBooks.</summary>
    private async Task<(Client Client, Invoice Invoice, CatalogItem Item)> SeedProblemsAsync()
    {
        await using var db = await DbAsync();
        var client = await db.Clients.OrderBy(c => c.Id).FirstAsync(Ct);
        var invoice = await db.Invoices.Include(i => i.Client).OrderBy(i => i.Id).FirstAsync(i => i.Status == InvoiceStatus.Sent && i.ClientId != client.Id, Ct);
        var item = await db.CatalogItems.OrderBy(i => i.Id).FirstAsync(Ct);
        var now = TestServices.Now;

        var failed = new SyncRecord(Business, Realm, SyncEntityType.Client, client.Id);
        failed.FailedWith("QuickBooks already has a vendor or employee named 'x'. Rename the client in Jobkore or in QuickBooks, then retry.", "6240", null, now);
        var differs = new SyncRecord(Business, Realm, SyncEntityType.Invoice, invoice.Id);
        differs.Succeeded("501", "0", await db.Invoices.Where(i => i.Id == invoice.Id).Select(i => EF.Property<string>(i, "SyncHash")).SingleAsync(Ct), now,
            warning: "Amount differs in QuickBooks: 110.00 there, 100.00 in Jobkore.");
        var deleted = new SyncRecord(Business, Realm, SyncEntityType.CatalogItem, item.Id);
        deleted.Succeeded("502", "0", await db.CatalogItems.Where(i => i.Id == item.Id).Select(i => EF.Property<string>(i, "SyncHash")).SingleAsync(Ct), now);
        deleted.DeletedInQuickBooks(null, "1", now);
        db.SyncRecords.AddRange(failed, differs, deleted);
        await db.SaveChangesAsync(Ct);
        return (client, invoice, item);
    }

    private async Task<JobkoreDbContext> DbAsync()
    {
        var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
    }
}

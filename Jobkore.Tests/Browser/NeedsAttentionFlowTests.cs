using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>
/// Needs attention in two browsers of one business: after a sync with a vendor-name clash and a refused invoice, both
/// are listed under their causes with their fixes; each fix, made in one browser, takes its records off the list in
/// both, without a reload, and QuickBooks ends up holding every document once.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NeedsAttentionFlowTests(BrowserFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AVendorNameClashAndARefusedInvoice_AreListedWithTheirFixes_AndFixingEach_TakesItOffLive()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        var (invoiceId, number, itemId) = await SentInvoiceWithAnItemAsync(app);

        // The first sync: Bob's Burgers clashes with a vendor in QuickBooks; its invoices and payments wait for it.
        var admin = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Dana Rivera", admin: true, app.BusinessId));
        await admin.OpenAsync("/settings/integrations");
        await admin.GetByTestId("sync-now").ClickAsync();
        await Expect(admin.GetByTestId("failed-link")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(admin.GetByTestId("sync-progress")).ToHaveCountAsync(0, new() { Timeout = 60_000 }); // the run is over, not only its first failure
        await Expect(admin.GetByTestId("sync-now")).ToBeEnabledAsync();

        // Then the bookkeeper makes a product inactive in QuickBooks, and an invoice using it is edited and retried: refused.
        await app.SetItemActiveInQuickBooksAsync(itemId, active: false);
        await app.EditMemoAsync(invoiceId, "Side gate; dog is friendly.");
        await admin.OpenAsync($"/invoices/{invoiceId}");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Retry sending to QuickBooks" }).Or(admin.GetByRole(AriaRole.Button, new() { Name = "Re-sync to QuickBooks" })).First.ClickAsync();
        await Expect(admin.GetByTestId("sync-panel").Locator("[data-sync-status=Failed]")).ToBeVisibleAsync();

        // Staff follow the card's "n failed" to Needs attention; the admin has it open too.
        var staff = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Sam Chen", admin: false, app.BusinessId));
        await staff.OpenAsync("/settings/integrations");
        await staff.GetByTestId("failed-link").ClickAsync();
        await staff.WaitForPathAsync("/settings/integrations/quickbooks/attention");
        await staff.EvaluateAsync("() => { window.__jkNoReload = true; }");
        await admin.OpenAsync("/settings/integrations/quickbooks/attention");

        var clash = Group(staff, "NameInUse");
        await Expect(clash.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("Name already used in QuickBooks (1)");
        await Expect(clash.GetByTestId("attention-item")).ToContainTextAsync("vendor or employee named 'Bob's Burgers'");
        await Expect(clash.GetByRole(AriaRole.Link, new() { Name = "Rename the client: Client Bob's Burgers" })).ToBeVisibleAsync();
        var refused = Group(staff, "Refused");
        await Expect(refused.GetByTestId("attention-item")).ToContainTextAsync($"Invoice {number}");
        await Expect(refused.GetByTestId("attention-item")).ToContainTextAsync("inactive or missing in QuickBooks");
        await Expect(Group(staff, "WaitsForAnother").GetByTestId("attention-item").First).ToContainTextAsync("Bob's Burgers");
        await staff.ScreenshotAsync("needs-attention");

        // Fixed in QuickBooks, then retried by the admin: the invoice leaves both lists.
        await app.SetItemActiveInQuickBooksAsync(itemId, active: true);
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Retry: Invoice {number}" }).ClickAsync();
        await Expect(Group(staff, "Refused")).ToHaveCountAsync(0);
        await Expect(Group(admin, "Refused")).ToHaveCountAsync(0);

        // The clash: renamed in Jobkore from the list's link, then retried: the client, its invoices and payments leave.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Rename the client: Client Bob's Burgers" }).ClickAsync();
        await admin.WaitForPathAsync(@"/clients/\d+/edit");
        await admin.GetByLabel("Display name").FillAsync("Bob's Burgers (restaurant)");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await admin.WaitForPathAsync("/clients");
        await admin.OpenAsync("/settings/integrations/quickbooks/attention");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Retry: Client Bob's Burgers (restaurant)" }).ClickAsync();

        await Expect(staff.GetByText("Nothing needs attention")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(admin.GetByText("Nothing needs attention")).ToBeVisibleAsync();
        (await staff.EvaluateAsync<bool>("() => window.__jkNoReload === true")).ShouldBeTrue("the staff page followed every fix live");

        // QuickBooks holds the renamed customer once, and every document of the business once.
        var sandbox = await app.SandboxAsync();
        QuickBooksApp.Rows(sandbox, "Customer").Count(c => ((string?)c["DisplayName"])?.StartsWith("Bob's Burgers", StringComparison.Ordinal) == true).ShouldBe(1);
        await using var db = await DbAsync(app);
        var sent = await db.Invoices.CountAsync(i => i.Status != InvoiceStatus.Draft && i.Status != InvoiceStatus.Void, Ct);
        QuickBooksApp.Rows(sandbox, "Invoice").Count(i => (decimal?)i["TotalAmt"] != 0m || (string?)i["PrivateNote"] != "Voided").ShouldBeGreaterThanOrEqualTo(sent);
        var docNumbers = QuickBooksApp.Rows(sandbox, "Invoice").Select(i => (string?)i["DocNumber"]).ToList();
        docNumbers.Distinct().Count().ShouldBe(docNumbers.Count, "no invoice twice");
    }

    [Fact]
    public async Task AnAmountDifference_FromAutomatedSalesTaxInQuickBooks_IsListedWithItsFix_AndSendingAgainAfterItIsTurnedOff_TakesItOffLive()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        await app.AsQuickBooksUserAsync("preferences/update", new System.Text.Json.Nodes.JsonObject { ["TaxPrefs"] = new System.Text.Json.Nodes.JsonObject { ["PartnerTaxEnabled"] = true } });
        int invoiceId;
        await using (var scope = app.SignedInScope())
        {
            await using var db = await DbAsync(app);
            var clientId = await db.Clients.Where(c => c.DisplayName == "Maria O'Brien").Select(c => c.Id).SingleAsync(Ct);
            invoiceId = await scope.ServiceProvider.GetRequiredService<Jobkore.Core.Invoices.InvoiceService>()
                .CreateAsync(Drafts.Invoice(clientId, "AST-1", 8.25m, Drafts.Line(1, 100m, taxable: true)), markSent: true, Ct);
        }

        // Sent (as Sync Now would); QuickBooks, with automated sales tax on, takes it with its own 8%. Staff have its page open.
        await using (var scope = app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<Jobkore.Core.Sync.NeedsAttention>().RetryAsync(SyncEntityType.Invoice, invoiceId, Ct)).ShouldNotBeNull();
        }

        var staff = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Sam Chen", admin: false, app.BusinessId));
        await staff.OpenAsync($"/invoices/{invoiceId}");
        var panel = staff.GetByTestId("sync-panel");
        await Expect(panel.Locator("[data-sync-status=Warning]").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(panel).ToContainTextAsync("108.00");
        await staff.EvaluateAsync("() => { window.__jkNoReload = true; }");

        var admin = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Dana Rivera", admin: true, app.BusinessId));
        await admin.OpenAsync("/settings/integrations/quickbooks/attention");
        var differs = Group(admin, "AmountDiffers");
        await Expect(differs.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("Amount differs in QuickBooks (1)");
        await Expect(differs).ToContainTextAsync("automated sales tax");
        await Expect(differs.GetByTestId("attention-item")).ToContainTextAsync("Invoice AST-1");
        await Expect(differs.GetByRole(AriaRole.Link, new() { Name = "Open the invoice: Invoice AST-1" })).ToBeVisibleAsync();
        await admin.ScreenshotAsync("needs-attention-amount-differs");

        // The bookkeeper turns automated sales tax off in QuickBooks; sent again, the totals agree and both pages show it.
        await app.AsQuickBooksUserAsync("preferences/update", new System.Text.Json.Nodes.JsonObject { ["TaxPrefs"] = new System.Text.Json.Nodes.JsonObject { ["PartnerTaxEnabled"] = false } });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send again: Invoice AST-1" }).ClickAsync();
        await Expect(admin.GetByText("Nothing needs attention")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(panel.Locator("[data-sync-status=UpToDate]").First).ToBeVisibleAsync();
        (await staff.EvaluateAsync<bool>("() => window.__jkNoReload === true")).ShouldBeTrue("the invoice page followed live");

        await using var check = await DbAsync(app);
        var invoice = await check.Invoices.AsNoTracking().SingleAsync(i => i.Id == invoiceId, Ct);
        var qboId = (await check.SyncRecords.AsNoTracking().SingleAsync(r => r.EntityType == SyncEntityType.Invoice && r.EntityId == invoiceId, Ct)).QboId;
        var row = QuickBooksApp.Rows(await app.SandboxAsync(), "Invoice").Single(i => (string?)i["Id"] == qboId);
        (row["TotalAmt"]!.GetValue<decimal>(), row["TxnTaxDetail"]!["TotalTax"]!.GetValue<decimal>()).ShouldBe((invoice.Total, invoice.Tax));
        invoice.Total.ShouldBe(108.25m);
    }

    private static ILocator Group(IPage page, string cause) => page.Locator($"[data-testid=attention-group][data-cause={cause}]");

    private static async Task<JobkoreDbContext> DbAsync(QuickBooksApp app)
    {
        var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
    }

    /// <summary>A sent invoice of a client other than Bob's Burgers, without payments, with a catalog item: id, number, item id.</summary>
    private static async Task<(int Id, string Number, int ItemId)> SentInvoiceWithAnItemAsync(QuickBooksApp app)
    {
        await using var db = await DbAsync(app);
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).OrderBy(i => i.Id)
            .FirstAsync(i => i.Status == InvoiceStatus.Sent && !i.Payments.Any() && i.Client!.DisplayName != "Bob's Burgers" && i.Lines.Any(l => l.CatalogItemId != null), Ct);
        return (invoice.Id, invoice.Number, invoice.Lines.First(l => l.CatalogItemId != null).CatalogItemId!.Value);
    }

}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>
/// The bookkeeper's view, as a person clicks it: what an admin clears or voids in Jobkore's pages is what QuickBooks
/// holds after Sync Now, and every record Jobkore shows as up to date matches the sandbox's books field by field.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class QuickBooksTruthFlowTests(BrowserFixture fixture)
{
    private const string Acme = "Acme Plumbing & Heating LLC";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClearAMemoAndAnEmail_VoidAnInvoice_SyncNow_QuickBooksHoldsTheSameFieldByField()
    {
        await using var app = new QuickBooksApp();
        await app.RenameTheClientThatClashesAsync();
        var page = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Dana Rivera", admin: true, app.BusinessId));

        // Connect QuickBooks through the card and the sandbox's consent page, then send everything.
        await page.OpenAsync("/settings/integrations");
        await Expect(page.GetByTestId("connection-status")).ToHaveTextAsync("Not connected");
        await page.GetByRole(AriaRole.Link, new() { Name = "Connect QuickBooks" }).ClickAsync();
        await page.AllowOnConsentPageAsync(Acme);
        await SyncNowAsync(page);

        var picks = await PickAsync(app);
        var before = await app.SandboxAsync();
        ((string?)Row(before, "Invoice", picks.MemoInvoice.QboId)["CustomerMemo"]?["value"]).ShouldBe(picks.MemoInvoice.Memo);
        ((string?)Row(before, "Customer", picks.Client.QboId)["PrimaryEmailAddr"]?["Address"]).ShouldBe(picks.Client.Email);

        // Clear the memo of an up-to-date invoice.
        await page.OpenAsync($"/invoices/{picks.MemoInvoice.Id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit", Exact = true }).ClickAsync();
        await page.WaitForPathAsync($"/invoices/{picks.MemoInvoice.Id}/edit");
        var memo = page.GetByLabel("Memo");
        await Expect(memo).ToHaveValueAsync(picks.MemoInvoice.Memo!);
        await memo.FillAsync(string.Empty);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await page.WaitForPathAsync($"/invoices/{picks.MemoInvoice.Id}");
        await Expect(page.GetByText($"Invoice {picks.MemoInvoice.Number} saved.")).ToBeVisibleAsync();
        await Expect(page.GetByText(picks.MemoInvoice.Memo!)).ToHaveCountAsync(0);
        await Expect(InvoiceBadge(page)).ToHaveAttributeAsync("data-sync-status", "Edited");

        // Clear the email of a client that is in QuickBooks.
        await page.OpenAsync($"/clients/{picks.Client.Id}/edit");
        var email = page.GetByLabel("Email");
        await Expect(email).ToHaveValueAsync(picks.Client.Email!);
        await email.FillAsync(string.Empty);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await page.WaitForPathAsync("/clients");
        await Expect(page.GetByText($"Client {picks.Client.DisplayName} saved.")).ToBeVisibleAsync();
        await Expect(await ClientRowAsync(page, picks.Client.DisplayName)).Not.ToContainTextAsync(picks.Client.Email!);

        // Void another unpaid, up-to-date invoice.
        await page.OpenAsync($"/invoices/{picks.VoidInvoice.Id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Void", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync($"Void invoice {picks.VoidInvoice.Number}?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Void invoice" }).ClickAsync();
        await Expect(page.GetByLabel("Status: Void").First).ToBeVisibleAsync();
        await Expect(InvoiceBadge(page)).ToHaveAttributeAsync("data-sync-status", "Edited");

        // Sync Now sends the three changes.
        await page.OpenAsync("/settings/integrations");
        await SyncNowAsync(page);
        await page.ScreenshotAsync("quickbooks-truth-card-after-sync");

        // QuickBooks' books: the memo and the email are gone, the invoice is void.
        var company = await app.SandboxAsync();
        var memoRow = Row(company, "Invoice", picks.MemoInvoice.QboId);
        ((string?)memoRow["CustomerMemo"]?["value"]).ShouldBeNullOrEmpty(memoRow.ToJsonString());
        var customer = Row(company, "Customer", picks.Client.QboId);
        ((string?)customer["PrimaryEmailAddr"]?["Address"]).ShouldBeNullOrEmpty(customer.ToJsonString());
        var voided = Row(company, "Invoice", picks.VoidInvoice.QboId);
        decimal.Parse(voided["TotalAmt"]!.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture).ShouldBe(0m, voided.ToJsonString());
        ((string?)voided["PrivateNote"]).ShouldNotBeNull(voided.ToJsonString()).ShouldStartWith("Voided");

        // And Jobkore's pages show the three records as up to date.
        await page.OpenAsync($"/invoices/{picks.MemoInvoice.Id}");
        await Expect(InvoiceBadge(page)).ToHaveAttributeAsync("data-sync-status", "UpToDate");
        await Expect(page.GetByTestId("sync-panel").Locator("[data-sync-status=UpToDate]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("sync-history")).ToContainTextAsync("Updated in QuickBooks");
        await page.ScreenshotAsync("quickbooks-truth-invoice-memo-cleared");

        await page.OpenAsync($"/invoices/{picks.VoidInvoice.Id}");
        await Expect(InvoiceBadge(page)).ToHaveAttributeAsync("data-sync-status", "UpToDate");
        await Expect(page.GetByTestId("sync-history")).ToContainTextAsync("Voided in QuickBooks");

        // The client's page has no sync badge: its row in the client list has it.
        await page.OpenAsync("/clients");
        await Expect((await ClientRowAsync(page, picks.Client.DisplayName)).Locator("[data-sync-status=UpToDate]")).ToBeVisibleAsync();

        // Every record shown as up to date is what QuickBooks holds, field by field.
        (await QuickBooksOracle.MismatchesAsync(app, QuickBooksApp.AcmeRealm, Ct)).ShouldBeEmpty();
    }

    /// <summary>Presses Sync Now on the card and waits for a run with no failures: the snackbar, then nothing waiting.</summary>
    private static async Task SyncNowAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync Now" }).ClickAsync();
        await Expect(page.GetByText(SyncedWithoutFailures())).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("waiting-count")).ToContainTextAsync("Everything is in QuickBooks");
    }

    /// <summary>The compact badge under the invoice page's title.</summary>
    private static ILocator InvoiceBadge(IPage page) => page.GetByTestId("invoice-sync").GetByTestId("sync-badge");

    /// <summary>Searches the client list for <paramref name="name"/>; returns its one row.</summary>
    private static async Task<ILocator> ClientRowAsync(IPage page, string name)
    {
        await page.GetByLabel("Search by name, company, email or phone").FillAsync(name);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(row).ToHaveCountAsync(1);
        return row;
    }

    private static JsonObject Row(JsonObject company, string entity, string qboId) =>
        QuickBooksApp.Rows(company, entity).Single(r => (string?)r["Id"] == qboId);

    /// <summary>
    /// After the first sync: a sent, unpaid, up-to-date invoice with a memo; another to void; and an up-to-date client
    /// with an email that is billed on neither, so each change is seen on its own.
    /// </summary>
    private static async Task<Picks> PickAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var statuses = scope.ServiceProvider.GetRequiredService<SyncStatuses>();
        var qboIds = await db.SyncRecords.AsNoTracking().Where(r => r.RealmId == QuickBooksApp.AcmeRealm && r.QboId != null)
            .ToDictionaryAsync(r => (r.EntityType, r.EntityId), r => r.QboId!, Ct);

        var unpaid = await db.Invoices.AsNoTracking().Where(i => i.Status == InvoiceStatus.Sent && !i.Payments.Any()).OrderBy(i => i.Id)
            .Select(i => new { i.Id, i.Number, i.Memo, i.ClientId }).ToListAsync(Ct);
        var invoiceViews = (await statuses.ViewsForInvoicesAsync([.. unpaid.Select(i => i.Id)], Ct))!;
        var upToDate = unpaid.Where(i => invoiceViews[i.Id].Status == SyncStatus.UpToDate && qboIds.ContainsKey((SyncEntityType.Invoice, i.Id))).ToList();
        var withMemo = upToDate.First(i => !string.IsNullOrEmpty(i.Memo));
        var toVoid = upToDate.First(i => i.Id != withMemo.Id && i.ClientId != withMemo.ClientId);

        var clients = await db.Clients.AsNoTracking().Where(c => c.Email != null && c.Id != withMemo.ClientId && c.Id != toVoid.ClientId)
            .OrderBy(c => c.Id).ToListAsync(Ct);
        var clientViews = (await statuses.ViewsAsync(SyncEntityType.Client, [.. clients.Select(c => c.Id)], Ct))!;
        var client = clients.First(c => clientViews[c.Id].Status == SyncStatus.UpToDate && qboIds.ContainsKey((SyncEntityType.Client, c.Id)));

        return new Picks(
            new PickedInvoice(withMemo.Id, withMemo.Number, withMemo.Memo, qboIds[(SyncEntityType.Invoice, withMemo.Id)]),
            new PickedInvoice(toVoid.Id, toVoid.Number, toVoid.Memo, qboIds[(SyncEntityType.Invoice, toVoid.Id)]),
            new PickedClient(client.Id, client.DisplayName, client.Email, qboIds[(SyncEntityType.Client, client.Id)]));
    }

    private sealed record PickedInvoice(int Id, string Number, string? Memo, string QboId);

    private sealed record PickedClient(int Id, string DisplayName, string? Email, string QboId);

    private sealed record Picks(PickedInvoice MemoInvoice, PickedInvoice VoidInvoice, PickedClient Client);

    [GeneratedRegex(@"^Synced \d+ documents?\.$")]
    private static partial Regex SyncedWithoutFailures();
}

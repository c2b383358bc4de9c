using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
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
/// An admin sends card payments to Checking and cash to Undeposited Funds from the settings page, records one of each
/// on invoices, presses Sync Now, and the sandbox's books hold each payment in its account with its method.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DepositRulesFlowTests(BrowserFixture fixture)
{
    private const string Acme = "Acme Plumbing & Heating LLC";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdminSetsCardToCheckingAndCashToUndepositedFunds_RecordsOneOfEach_SyncNow_TheBooksHoldEachInItsAccount()
    {
        await using var app = new QuickBooksApp();
        await app.RenameTheClientThatClashesAsync();
        var (cardInvoice, cashInvoice) = await TwoOpenInvoicesAsync(app);
        var page = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Dana Rivera", admin: true, app.BusinessId));
        await page.OpenAsync("/settings/integrations");
        await page.GetByRole(AriaRole.Link, new() { Name = "Connect QuickBooks" }).ClickAsync();
        await page.AllowOnConsentPageAsync(Acme);

        // The rules, on the settings page: everything else to Savings.
        await page.OpenAsync("/settings/integrations/quickbooks");
        var rules = page.GetByRole(AriaRole.Region, new() { Name = "Deposit account by payment method" });
        await Expect(rules).ToContainTextAsync("Changes apply to payments not yet sent to QuickBooks; payments already in QuickBooks keep their account.");
        await ChooseAsync(page, page.GetByLabel("Deposit account", new() { Exact = true }), "Savings");
        var card = page.GetByLabel("Deposit account for card payments");
        await Expect(card).ToHaveValueAsync("Same as default (Savings)");
        await ChooseAsync(page, card, "Checking");
        await ChooseAsync(page, page.GetByLabel("Deposit account for cash payments"), "Undeposited Funds");
        await Expect(page.GetByLabel("Deposit account for check payments")).ToHaveValueAsync("Same as default (Savings)");
        await page.GetByTestId("save-settings").ClickAsync();
        await Expect(page.GetByText("QuickBooks settings saved.")).ToBeVisibleAsync();
        await page.ScreenshotAsync("quickbooks-deposit-rules");

        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByLabel("Deposit account for card payments")).ToHaveValueAsync("Checking");
        await Expect(page.GetByLabel("Deposit account for cash payments")).ToHaveValueAsync("Undeposited Funds");

        await RecordPaymentAsync(page, cardInvoice, "Card", "VISA-4242");
        await RecordPaymentAsync(page, cashInvoice, "Cash", "Till 2");

        await page.OpenAsync("/settings/integrations");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync Now" }).ClickAsync();
        await Expect(page.GetByText(SyncedWithoutFailures())).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("waiting-count")).ToContainTextAsync("Everything is in QuickBooks");

        var books = await app.SandboxAsync();
        var accounts = QuickBooksApp.Rows(books, "Account").ToDictionary(a => (string)a["Name"]!, a => (string)a["Id"]!);
        var methods = QuickBooksApp.Rows(books, "PaymentMethod").ToDictionary(m => (string)m["Name"]!, m => (string)m["Id"]!);
        var cardRow = await PaymentRowAsync(app, books, cardInvoice.Id);
        ((string?)cardRow["DepositToAccountRef"]!["value"]).ShouldBe(accounts["Checking"]);
        ((string?)cardRow["DepositToAccountRef"]!["name"]).ShouldBe("Checking");
        ((string?)cardRow["PaymentMethodRef"]!["value"]).ShouldBe(methods["Credit Card"]);
        ((string?)cardRow["PaymentRefNum"]).ShouldBe("VISA-4242");
        ((decimal)cardRow["TotalAmt"]!).ShouldBe(10m);
        var cashRow = await PaymentRowAsync(app, books, cashInvoice.Id);
        ((string?)cashRow["DepositToAccountRef"]!["value"]).ShouldBe(accounts["Undeposited Funds"]);
        ((string?)cashRow["DepositToAccountRef"]!["name"]).ShouldBe("Undeposited Funds");
        ((string?)cashRow["PaymentMethodRef"]!["value"]).ShouldBe(methods["Cash"]);
        ((string?)cashRow["PaymentRefNum"]).ShouldBe("Till 2");
        (await QuickBooksOracle.MismatchesAsync(app, QuickBooksApp.AcmeRealm, Ct)).ShouldBeEmpty("every other payment by its method's rule, or Savings");
    }

    private static async Task ChooseAsync(IPage page, ILocator select, string account)
    {
        await select.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex($"^{Regex.Escape(account)}$") }).ClickAsync();
        await Expect(select).ToHaveValueAsync(account);
    }

    private static async Task RecordPaymentAsync(IPage page, OpenInvoice invoice, string method, string reference)
    {
        await page.OpenAsync($"/invoices/{invoice.Id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record payment" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Amount").FillAsync("10");
        await dialog.GetByLabel("Method").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex($"^{method}$") }).ClickAsync();
        await dialog.GetByLabel("Reference").FillAsync(reference);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Record payment" }).ClickAsync();
        await Expect(page.GetByText($"Payment of $10.00 recorded on invoice {invoice.Number}.")).ToBeVisibleAsync();
        await Expect(page.GetByText(reference)).ToBeVisibleAsync();
    }

    /// <summary>Two sent invoices with no payment yet and at least 10.00 open.</summary>
    private static async Task<(OpenInvoice Card, OpenInvoice Cash)> TwoOpenInvoicesAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var open = (await db.Invoices.AsNoTracking().Where(i => i.Status == InvoiceStatus.Sent && !i.Payments.Any()).OrderBy(i => i.Id).ToListAsync(Ct))
            .Where(i => i.Total >= 10m).Select(i => new OpenInvoice(i.Id, i.Number)).Take(2).ToList();
        return (open[0], open[1]);
    }

    /// <summary>The sandbox's payment of the one Jobkore payment on <paramref name="invoiceId"/>.</summary>
    private static async Task<JsonObject> PaymentRowAsync(QuickBooksApp app, JsonObject books, int invoiceId)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var paymentId = await db.Payments.Where(p => p.InvoiceId == invoiceId).Select(p => p.Id).SingleAsync(Ct);
        var qboId = await db.SyncRecords.Where(r => r.RealmId == QuickBooksApp.AcmeRealm && r.EntityType == SyncEntityType.Payment && r.EntityId == paymentId)
            .Select(r => r.QboId).SingleAsync(Ct);
        return QuickBooksApp.Rows(books, "Payment").Single(p => (string?)p["Id"] == qboId);
    }

    private sealed record OpenInvoice(int Id, string Number);

    [GeneratedRegex(@"^Synced \d+ documents?\.$")]
    private static partial Regex SyncedWithoutFailures();
}

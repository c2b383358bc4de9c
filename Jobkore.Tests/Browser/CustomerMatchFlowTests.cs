using System.Text.Json.Nodes;
using Jobkore.Core.Clients;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.QuickBooksSandbox.Seed;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>
/// Customer match review in two browsers of one business. The company connected has the customers "Bob's Burgers
/// Inc." and "Bob Smith" (bob.smith@example.com); Jobkore has the clients "Bob's Burgers" and "Robert Smith" (the same
/// email). Right after connecting, the card says both are to review; the admin links one, keeps the other out, changes
/// their mind and creates it new; the staff page follows live, read-only, and QuickBooks ends with no customer twice.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CustomerMatchFlowTests(BrowserFixture fixture)
{
    private const string Realm = QuickBooksApp.SecondRealm;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AfterConnecting_TheReviewOffersTheLikelyMatches_AndEachChoice_LeadsToThePromisedBooks()
    {
        await using var app = new QuickBooksApp();
        var burgersInc = await AddCustomerAsync(app, new JsonObject { ["DisplayName"] = "Bob's Burgers Inc." });
        var bobSmith = await AddCustomerAsync(app, new JsonObject { ["DisplayName"] = "Bob Smith", ["PrimaryEmailAddr"] = new JsonObject { ["Address"] = "bob.smith@example.com" } });
        int robertInvoice;
        int clients;
        await using (var scope = app.SignedInScope())
        {
            var robert = await scope.ServiceProvider.GetRequiredService<ClientService>()
                .CreateAsync(new ClientDetails("Robert Smith", null, "bob.smith@example.com", "(555) 010-4242", PostalAddress.Empty), Ct);
            robertInvoice = await scope.ServiceProvider.GetRequiredService<InvoiceService>()
                .CreateAsync(Drafts.Invoice(robert, "RS-1001", 0m, Drafts.Line(2, 95m)), markSent: true, Ct);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
            clients = await db.Clients.CountAsync(Ct);
        }

        // Connect: the clients are compared with the company's customers at once, and the page says what was found.
        var admin = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Dana Rivera", admin: true, app.BusinessId));
        await admin.OpenAsync("/settings/integrations");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Connect QuickBooks" }).ClickAsync();
        await admin.AllowOnConsentPageAsync(SandboxSeed.SecondCompanyName);
        await Expect(admin.GetByTestId("connect-match-summary")).ToContainTextAsync($"0 linked by name, 2 to review, {clients - 2} new");
        await Expect(admin.GetByTestId("customers-to-review-count")).ToContainTextAsync("2 clients look like a QuickBooks customer");
        await admin.ScreenshotAsync("quickbooks-connected-customer-match-summary");

        await admin.GetByTestId("review-matches").ClickAsync();
        await admin.WaitForPathAsync(CustomerMatchesPath);
        var staff = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Sam Chen", admin: false, app.BusinessId));
        await staff.OpenAsync(CustomerMatchesPath);
        await staff.EvaluateAsync("() => { window.__jkNoReload = true; }");

        var bob = Item(admin, "Bob's Burgers");
        await Expect(bob.GetByTestId("match-candidate")).ToHaveCountAsync(1);
        await Expect(bob.GetByTestId("match-candidate")).ToContainTextAsync("Bob's Burgers Inc.");
        await Expect(bob.GetByTestId("match-reasons")).ToHaveTextAsync("Same as the client: a near name");
        var robertItem = Item(admin, "Robert Smith");
        await Expect(robertItem.GetByTestId("match-candidate")).ToContainTextAsync("Bob Smith");
        await Expect(robertItem.GetByTestId("match-candidate")).ToContainTextAsync("bob.smith@example.com");
        await Expect(robertItem.GetByTestId("match-reasons")).ToHaveTextAsync("Same as the client: email");
        await Expect(staff.GetByTestId("read-only-hint")).ToBeVisibleAsync();
        await Expect(staff.GetByRole(AriaRole.Button, new() { Name = "Don't sync this client: Robert Smith" })).ToHaveCountAsync(0);
        await admin.ScreenshotAsync("quickbooks-customer-matches");

        // Link: Bob's Burgers goes to QuickBooks as the customer it is, with its invoices.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Link to this customer: Bob's Burgers Inc., for Bob's Burgers" }).ClickAsync();
        await Expect(admin.GetByText("Bob's Burgers: linked to the customer Bob's Burgers Inc., and its invoices are in QuickBooks.")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(Decided(staff, "Bob's Burgers").GetByTestId("decision")).ToHaveTextAsync("Linked to the customer Bob's Burgers Inc. in QuickBooks.");
        await Expect(Decided(admin, "Bob's Burgers").GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        // Don't sync: Robert Smith and its invoice are kept out, and its invoice says so.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Don't sync this client: Robert Smith" }).ClickAsync();
        await Expect(Decided(staff, "Robert Smith").GetByTestId("decision")).ToContainTextAsync("Kept out of QuickBooks: 1 sent invoice and their payments are not sent");
        await Expect(admin.GetByTestId("to-review")).ToHaveCountAsync(0);
        await staff.ScreenshotAsync("quickbooks-customer-matches-decided");
        var invoicePage = await fixture.NewPageOnAsync(app.BaseAddress, QuickBooksApp.SignInHeaders("Dana Rivera", admin: true, app.BusinessId));
        await invoicePage.OpenAsync($"/invoices/{robertInvoice}");
        await Expect(invoicePage.GetByTestId("sync-panel").Locator("[data-sync-status=KeptOut]").First).ToBeVisibleAsync();
        await Expect(invoicePage.GetByTestId("sync-panel")).ToContainTextAsync("Kept out of QuickBooks");
        await invoicePage.ScreenshotAsync("invoice-kept-out-of-quickbooks");

        // Changed back, then created new: a second customer beside Bob Smith, who stays as he was.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Review again: Robert Smith" }).ClickAsync();
        await Expect(Item(staff, "Robert Smith")).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create a new customer: Robert Smith" }).ClickAsync();
        await Expect(Decided(admin, "Robert Smith").GetByTestId("decision")).ToHaveTextAsync("Sent to QuickBooks as a new customer.", new() { Timeout = 60_000 });
        await Expect(Decided(staff, "Robert Smith").GetByTestId("decision")).ToHaveTextAsync("Sent to QuickBooks as a new customer.");
        await Expect(invoicePage.GetByTestId("sync-panel").Locator("[data-sync-status=UpToDate]").First).ToBeVisibleAsync();
        (await staff.EvaluateAsync<bool>("() => window.__jkNoReload === true")).ShouldBeTrue("the staff page followed every choice live");
        await admin.OpenAsync("/settings/integrations");
        await Expect(admin.GetByTestId("customers-to-review-count")).ToHaveCountAsync(0);

        // The books: each customer once, Bob's Burgers Inc. is Bob's Burgers now, Bob Smith untouched, and every document as Jobkore shows it.
        var company = await app.SandboxAsync(Realm);
        var customers = QuickBooksApp.Rows(company, "Customer");
        var names = customers.Select(c => (string)c["DisplayName"]!).ToList();
        names.Distinct(StringComparer.OrdinalIgnoreCase).Count().ShouldBe(names.Count, "no customer twice");
        customers.Single(c => (string?)c["Id"] == burgersInc)["DisplayName"]!.GetValue<string>().ShouldBe("Bob's Burgers");
        var smith = customers.Single(c => (string?)c["Id"] == bobSmith);
        (smith["DisplayName"]!.GetValue<string>(), smith["SyncToken"]!.GetValue<string>()).ShouldBe(("Bob Smith", "0"));
        var robertCustomer = customers.Single(c => (string?)c["DisplayName"] == "Robert Smith");
        QuickBooksApp.Rows(company, "Invoice").Single(i => (string?)i["DocNumber"] == "RS-1001")["CustomerRef"]!["value"]!.GetValue<string>()
            .ShouldBe((string)robertCustomer["Id"]!);
        await using (var scope = app.SignedInScope())
        {
            (await QuickBooksOracle.MismatchesAsync(scope.ServiceProvider, company, Realm, Ct)).ShouldBeEmpty();
        }
    }

    private const string CustomerMatchesPath = "/settings/integrations/quickbooks/customers";

    private static ILocator Item(IPage page, string client) =>
        page.GetByTestId("match-item").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = client, Exact = true }) });

    private static ILocator Decided(IPage page, string client) =>
        page.GetByTestId("decided-item").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = client, Exact = true }) });

    private static async Task<string> AddCustomerAsync(QuickBooksApp app, JsonObject customer) =>
        (string)(await app.AsQuickBooksUserAsync("customer/create", customer, Realm))["Customer"]!["Id"]!;
}

using Bunit;
using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Settings.QuickBooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Jobkore.Tests.Web.Components.QuickBooks;

/// <summary>Customer matches lists the clients to review with their candidates and why, then what was decided; only an admin chooses.</summary>
public sealed class CustomerMatchesPageTests : JobkoreBunitContext
{
    private const string Realm = "9341452713218474";

    public CustomerMatchesPageTests()
        : base(seedDemoData: true)
    {
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public void NotConnected_SaysSo_AndLinksToIntegrations()
    {
        var cut = Render<CustomerMatchesPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=not-connected]").TextContent.ShouldContain("QuickBooks is not connected"));
        cut.Find("[data-testid=not-connected] a").GetAttribute("href").ShouldBe("/settings/integrations");
    }

    [Fact]
    public async Task NothingToReview_SaysSo()
    {
        await SeedQuickBooksConnectionAsync(Realm);

        var cut = Render<CustomerMatchesPage>();

        cut.WaitForAssertion(() => cut.Markup.ShouldContain("No client to review"));
        cut.FindAll("[data-testid=match-item]").ShouldBeEmpty();
    }

    [Fact]
    public async Task AClientToReview_ShowsItsCandidatesWithWhy_AndTheThreeChoicesNamedForIt_AndAKeptOutOne_CanBeReviewedAgain()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        var (bob, patel) = await SeedMatchesAsync();
        Render<MudSnackbarProvider>();

        var cut = Render<CustomerMatchesPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=match-item]").Count.ShouldBe(1));
        var item = cut.Find("[data-testid=match-item]");
        item.GetAttribute("data-client-id").ShouldBe(bob.ToString(System.Globalization.CultureInfo.InvariantCulture));
        item.QuerySelector("h3")!.TextContent.Trim().ShouldBe("Bob's Burgers");
        var candidates = item.QuerySelectorAll("[data-testid=match-candidate]");
        candidates.Select(c => c.GetAttribute("data-qbo-id")).ShouldBe(["58", "61"]);
        candidates[0].TextContent.ShouldContain("Bob's Burgers Inc.");
        candidates[0].QuerySelector("[data-testid=match-reasons]")!.TextContent.ShouldBe("Same as the client: a near name, email");
        candidates[1].TextContent.ShouldContain("(inactive in QuickBooks)");
        item.QuerySelectorAll("button").Select(b => b.GetAttribute("aria-label")).ShouldBe([
            "Link to this customer: Bob's Burgers Inc., for Bob's Burgers",
            "Link to this customer: Bobs Burgers LLC, for Bob's Burgers",
            "Create a new customer: Bob's Burgers",
            "Don't sync this client: Bob's Burgers",
        ]);
        var decided = cut.Find("[data-testid=decided-item]");
        decided.QuerySelector("[data-testid=decision]")!.TextContent.ShouldStartWith("Kept out of QuickBooks");

        await decided.QuerySelector("button")!.ClickAsync(new());

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=match-item]").Count.ShouldBe(2));
        cut.FindAll("[data-testid=decided-item]").ShouldBeEmpty();
        await using var db = await Services.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        (await db.CustomerMatches.SingleAsync(m => m.ClientId == patel, Ct)).State.ShouldBe(CustomerMatchState.ToReview);
    }

    [Fact]
    public async Task Staff_SeeTheMatchesReadOnly()
    {
        Services.GetRequiredService<TestCurrentUser>().IsAdmin = false;
        await SeedQuickBooksConnectionAsync(Realm);
        await SeedMatchesAsync();

        var cut = Render<CustomerMatchesPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=match-item]").Count.ShouldBe(1));
        cut.Find("[data-testid=read-only-hint]").TextContent.ShouldContain("only an admin");
        cut.FindAll("button").ShouldBeEmpty();
    }

    /// <summary>Bob's Burgers to review, with two candidates; Patel Residence kept out of QuickBooks.</summary>
    private async Task<(int Bob, int Patel)> SeedMatchesAsync()
    {
        var business = Services.GetRequiredService<ICurrentBusiness>().Profile.Id;
        await using var db = await Services.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var bob = await db.Clients.Where(c => c.DisplayName == "Bob's Burgers").Select(c => c.Id).SingleAsync(Ct);
        var patel = await db.Clients.Where(c => c.DisplayName == "Patel Residence").Select(c => c.Id).SingleAsync(Ct);
        db.CustomerMatches.Add(new CustomerMatch(business, Realm, bob, [
            new CustomerCandidate("58", "Bob's Burgers Inc.", "bobsburgers@example.com", null, null, Active: true, ["a near name", "the same email"]),
            new CustomerCandidate("61", "Bobs Burgers LLC", null, null, null, Active: false, ["a near name"]),
        ], Time.GetUtcNow()));
        var keptOut = new CustomerMatch(business, Realm, patel, [new CustomerCandidate("70", "Patel Family", null, null, "62709", Active: true, ["the same postal code and a name in common"])], Time.GetUtcNow());
        keptOut.Decide(CustomerMatchState.DontSync, null, Time.GetUtcNow());
        db.CustomerMatches.Add(keptOut);
        await db.SaveChangesAsync(Ct);
        return (bob, patel);
    }
}

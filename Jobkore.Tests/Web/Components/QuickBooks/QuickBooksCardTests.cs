using Bunit;
using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Settings.QuickBooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Jobkore.Tests.Web.Components.QuickBooks;

public sealed class QuickBooksCardTests : JobkoreBunitContext
{
    private const string Realm = "9341452713218474";

    public QuickBooksCardTests()
        : base(seedDemoData: false)
    {
    }

    private static QuickBooksConnectionView View(QuickBooksConnectionStatus status, QuickBooksEnvironment environment = QuickBooksEnvironment.BuiltInSandbox,
        DateTimeOffset? lastSync = null, bool keptMappings = false) =>
        new(status, Realm, "Acme Plumbing & Heating LLC", environment, "Dana Rivera", TestServices.Now.AddDays(-3), lastSync, keptMappings);

    private IRenderedComponent<QuickBooksCard> RenderCard(QuickBooksConnectionView? view, bool admin = true) =>
        Render<QuickBooksCard>(p => p.Add(c => c.Connection, view).Add(c => c.CanManage, admin));

    [Fact]
    public void NotConnected_ForAnAdmin_ExplainsTheIntegrationAndOffersConnect()
    {
        var cut = RenderCard(null);

        var status = cut.Find("[data-testid=connection-status]");
        status.TextContent.Trim().ShouldBe("Not connected");
        status.GetAttribute("aria-label").ShouldBe("Connection status: Not connected");
        cut.Markup.ShouldContain("clients become Customers");
        var connect = cut.FindAll("a").Single(a => a.TextContent.Contains("Connect QuickBooks", StringComparison.Ordinal));
        connect.GetAttribute("href").ShouldBe("/integrations/quickbooks/connect");
        connect.GetAttribute("data-enhance-nav").ShouldBe("false");
        cut.FindAll("[data-testid=read-only-hint]").ShouldBeEmpty();
        cut.FindAll("[data-testid=company-name]").ShouldBeEmpty();
    }

    public enum CardState
    {
        NeverConnected,
        DisconnectedKeepingLinks,
        Connected,
        ReconnectNeeded,
    }

    /// <summary>Intuit's technical review: Connect where connections are managed, hidden once connected, with Disconnect instead.</summary>
    [Theory]
    [InlineData(CardState.NeverConnected, true, false)]
    [InlineData(CardState.DisconnectedKeepingLinks, true, false)]
    [InlineData(CardState.Connected, false, true)]
    public void ForAnAdmin_ConnectOnlyWhenNotConnected_DisconnectOnlyWhenConnected(CardState state, bool connect, bool disconnect)
    {
        var cut = RenderCard(state switch
        {
            CardState.NeverConnected => null,
            CardState.DisconnectedKeepingLinks => View(QuickBooksConnectionStatus.Disconnected, keptMappings: true),
            _ => View(QuickBooksConnectionStatus.Connected),
        });

        cut.FindAll("a[href='/integrations/quickbooks/connect']").Count.ShouldBe(connect ? 1 : 0);
        cut.FindAll("a").Any(a => a.TextContent.Contains("Connect QuickBooks", StringComparison.Ordinal)).ShouldBe(connect);
        cut.FindAll("button").Any(b => b.TextContent.Trim() == "Disconnect").ShouldBe(disconnect);
    }

    [Fact]
    public void ReconnectNeeded_ForAnAdmin_OffersReconnectInsteadOfConnect_AndStillLetsThemDisconnect()
    {
        var cut = RenderCard(View(QuickBooksConnectionStatus.ReconnectNeeded));

        var links = cut.FindAll("a[href='/integrations/quickbooks/connect']");
        links.ShouldHaveSingleItem().TextContent.Trim().ShouldBe("Reconnect");
        cut.FindAll("button").Any(b => b.TextContent.Trim() == "Disconnect").ShouldBeTrue();
    }

    [Fact]
    public void NotConnected_ForStaff_HasNoConnectButtonAndSaysWhoCan()
    {
        var cut = RenderCard(null, admin: false);

        cut.Markup.ShouldNotContain("Connect QuickBooks</");
        cut.Find("[data-testid=read-only-hint]").TextContent.ShouldContain("only an admin of your business can connect QuickBooks");
    }

    [Fact]
    public void Connected_ShowsTheCompanyRealmEnvironmentLastSyncAndActions()
    {
        var cut = RenderCard(View(QuickBooksConnectionStatus.Connected));

        cut.Find("[data-testid=connection-status]").TextContent.Trim().ShouldBe("Connected");
        cut.Find("[data-testid=company-name]").TextContent.ShouldBe("Acme Plumbing & Heating LLC");
        cut.Markup.ShouldContain($"Company ID {Realm}");
        cut.Find("[data-testid=environment-badge]").TextContent.Trim().ShouldBe("Built-in sandbox");
        cut.Find("[data-testid=last-sync]").TextContent.Trim().ShouldBe("Last sync: Never");
        cut.FindAll("a").Single(a => a.TextContent.Contains("Settings", StringComparison.Ordinal)).GetAttribute("href").ShouldBe("/settings/integrations/quickbooks");
        var open = cut.FindAll("a").Single(a => a.TextContent.Contains("Open in QuickBooks", StringComparison.Ordinal));
        open.GetAttribute("href").ShouldBe($"/qbo-sandbox/_sandbox/companies/{Realm}/view");
        open.GetAttribute("target").ShouldBe("_blank");
        cut.FindAll("button").ShouldContain(b => b.TextContent.Contains("Disconnect", StringComparison.Ordinal));
    }

    [Fact]
    public void Connected_WithDocumentsWaiting_ShowsTheCountWithFailedApart_AndSyncNowForStaffToo()
    {
        var cut = Render<QuickBooksCard>(p => p.Add(c => c.Connection, View(QuickBooksConnectionStatus.Connected)).Add(c => c.CanManage, false)
            .Add(c => c.Pending, new Jobkore.Core.Sync.PendingCount(12, 1)));

        cut.Find("[data-testid=waiting-count]").TextContent.ShouldContain("12 documents waiting");
        cut.Find("[data-testid=waiting-count]").TextContent.ShouldContain("1 failed");
        cut.Find("[data-testid=sync-now]").TextContent.Trim().ShouldBe("Sync Now");
    }

    [Fact]
    public void TheFailedCount_AndRecordsChangedInQuickBooks_LinkToNeedsAttention_AndSoDoesTheCard()
    {
        var cut = Render<QuickBooksCard>(p => p.Add(c => c.Connection, View(QuickBooksConnectionStatus.Connected)).Add(c => c.CanManage, false)
            .Add(c => c.Pending, new Jobkore.Core.Sync.PendingCount(12, 2, 1)));

        var failed = cut.Find("[data-testid=failed-link]");
        (failed.TextContent.Trim(), failed.GetAttribute("href")).ShouldBe(("2 failed", "/settings/integrations/quickbooks/attention"));
        cut.Find("[data-testid=changed-in-quickbooks-count] a").GetAttribute("href").ShouldBe("/settings/integrations/quickbooks/attention");
        cut.Find("[data-testid=needs-attention]").GetAttribute("href").ShouldBe("/settings/integrations/quickbooks/attention");
    }

    [Fact]
    public void Connected_WithNothingWaiting_SaysEverythingIsInQuickBooks()
    {
        var cut = Render<QuickBooksCard>(p => p.Add(c => c.Connection, View(QuickBooksConnectionStatus.Connected)).Add(c => c.CanManage, true)
            .Add(c => c.Pending, new Jobkore.Core.Sync.PendingCount(0, 0)));

        cut.Find("[data-testid=waiting-count]").TextContent.ShouldContain("Everything is in QuickBooks");
    }

    [Fact]
    public void SyncNow_Pressed_AsksForARunAndIsDisabledUntilItEnds()
    {
        var cut = Render<QuickBooksCard>(p => p.Add(c => c.Connection, View(QuickBooksConnectionStatus.Connected)).Add(c => c.CanManage, true)
            .Add(c => c.Pending, new Jobkore.Core.Sync.PendingCount(3, 0)));

        // No worker runs in this test, so the run stays asked for and the button stays busy.
        _ = cut.Find("[data-testid=sync-now]").ClickAsync(new());

        cut.WaitForAssertion(() => cut.Find("[data-testid=sync-now]").TextContent.Trim().ShouldBe("Syncing…"));
        cut.Find("[data-testid=sync-now]").HasAttribute("disabled").ShouldBeTrue();
    }

    [Fact]
    public void ReconnectNeeded_HasNoSyncNow()
    {
        var cut = Render<QuickBooksCard>(p => p.Add(c => c.Connection, View(QuickBooksConnectionStatus.ReconnectNeeded)).Add(c => c.CanManage, true)
            .Add(c => c.Pending, new Jobkore.Core.Sync.PendingCount(3, 0)));

        cut.FindAll("[data-testid=sync-now]").ShouldBeEmpty();
    }

    [Fact]
    public void Connected_ToProduction_HasNoEnvironmentBadgeAndOpensQuickBooksItself()
    {
        var cut = RenderCard(View(QuickBooksConnectionStatus.Connected, QuickBooksEnvironment.Production, lastSync: TestServices.Now));

        cut.FindAll("[data-testid=environment-badge]").ShouldBeEmpty();
        cut.Find("[data-testid=last-sync]").TextContent.Trim().ShouldBe("Last sync: Nov 24, 2026 3:00 PM");
        cut.FindAll("a").Single(a => a.TextContent.Contains("Open in QuickBooks", StringComparison.Ordinal)).GetAttribute("href").ShouldBe("https://app.qbo.intuit.com/app/homepage");
    }

    [Fact]
    public void Connected_ForStaff_HasNoDisconnect()
    {
        var cut = RenderCard(View(QuickBooksConnectionStatus.Connected), admin: false);

        cut.FindAll("button").ShouldNotContain(b => b.TextContent.Contains("Disconnect", StringComparison.Ordinal));
        cut.Find("[data-testid=read-only-hint]");
    }

    [Fact]
    public void ReconnectNeeded_SaysNothingIsLostAndOffersReconnect()
    {
        var cut = RenderCard(View(QuickBooksConnectionStatus.ReconnectNeeded));

        var status = cut.Find("[data-testid=connection-status]");
        status.TextContent.Trim().ShouldBe("Reconnect needed");
        status.GetAttribute("aria-label").ShouldBe("Connection status: Reconnect needed");
        cut.Find("[data-testid=reconnect-needed]").TextContent.ShouldContain("Documents keep waiting and");
        cut.FindAll("a").Single(a => a.TextContent.Contains("Reconnect", StringComparison.Ordinal)).GetAttribute("href").ShouldBe("/integrations/quickbooks/connect");
    }

    [Fact]
    public void DisconnectedWithKeptMappings_NamesTheCompanyAndOffersToClearThem()
    {
        var cut = RenderCard(View(QuickBooksConnectionStatus.Disconnected, keptMappings: true));

        cut.Find("[data-testid=connection-status]").TextContent.Trim().ShouldBe("Not connected");
        cut.Find("[data-testid=kept-mappings]").TextContent.ShouldContain("Acme Plumbing & Heating LLC");
        cut.FindAll("button").ShouldContain(b => b.TextContent.Contains("Clear links", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disconnect_ConfirmedKeepingMappings_ForgetsTheTokensAndRaisesChanged()
    {
        await SeedQuickBooksConnectionAsync(Realm);
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var changed = 0;
        var cut = Render<QuickBooksCard>(p => p.Add(c => c.Connection, View(QuickBooksConnectionStatus.Connected)).Add(c => c.CanManage, true)
            .Add(c => c.Changed, () => changed++));

        // The card's click waits for the dialog's answer, so it finishes only after the dialog is confirmed.
        var cardClick = cut.FindAll("button").Single(b => b.TextContent.Contains("Disconnect", StringComparison.Ordinal)).ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("Keep mappings"));
        dialogs.Markup.ShouldContain("Nothing already in QuickBooks");
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Disconnect").ClickAsync(new());
        await cardClick;

        cut.WaitForAssertion(() => changed.ShouldBe(1));
        await using var scope = Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
        var stored = await db.QuickBooksConnections.SingleAsync(Xunit.TestContext.Current.CancellationToken);
        stored.Status.ShouldBe(QuickBooksConnectionStatus.Disconnected);
        stored.ProtectedRefreshToken.ShouldBeEmpty();
    }

}

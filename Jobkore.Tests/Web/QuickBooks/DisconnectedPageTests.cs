using System.Net;
using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Web.QuickBooks;

/// <summary>
/// The Disconnect URL registered with Intuit: the page QuickBooks opens after a user disconnects Jobkore inside
/// QuickBooks. It asks QuickBooks whether the connection still works, says what it found and how to connect again.
/// </summary>
public sealed class DisconnectedPageTests : IAsyncDisposable
{
    private const string Path = "/integrations/quickbooks/disconnected";
    private readonly QuickBooksApp _app = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private Task<string> OpenAsync(bool admin = true) => OpenAsync(_app, admin);

    private static async Task<string> OpenAsync(QuickBooksApp app, bool admin = true)
    {
        using var client = app.Client(admin ? "Dana Rivera" : "Sam Chen", admin);
        using var response = await client.GetAsync(new Uri(Path, UriKind.Relative), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
    }

    private Task<QuickBooksConnectionStatus> StoredStatusAsync() => StoredStatusAsync(_app);

    private static async Task<QuickBooksConnectionStatus> StoredStatusAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        return (await db.QuickBooksConnections.AsNoTracking().SingleAsync(Ct)).Status;
    }

    [Fact]
    public async Task Opened_AfterTheUserDisconnectedInQuickBooks_SaysTheConnectionEnded_MarksReconnectNeeded_AndOffersAdminsReconnect()
    {
        await _app.ConnectAcmeAsync();
        _app.Faults.RevokeGrantsNow(QuickBooksApp.AcmeRealm);

        var page = await OpenAsync();

        page.ShouldContain("<h1");
        page.ShouldContain("QuickBooks is disconnected");
        page.ShouldContain("The connection to <b>Acme Plumbing & Heating LLC</b> has ended");
        page.ShouldContain("Nothing is lost");
        page.ShouldContain("href=\"/integrations/quickbooks/connect\"");
        page.ShouldContain("Reconnect QuickBooks");
        page.ShouldContain("href=\"/settings/integrations\"");
        (await StoredStatusAsync()).ShouldBe(QuickBooksConnectionStatus.ReconnectNeeded);
    }

    [Fact]
    public async Task Opened_ByStaff_AfterTheUserDisconnectedInQuickBooks_SaysToAskAnAdmin_WithoutAReconnectButton()
    {
        await _app.ConnectAcmeAsync();
        _app.Faults.RevokeGrantsNow(QuickBooksApp.AcmeRealm);

        var page = await OpenAsync(admin: false);

        page.ShouldContain("The connection to <b>Acme Plumbing & Heating LLC</b> has ended");
        page.ShouldContain("Ask an admin of your business to reconnect QuickBooks");
        page.ShouldNotContain("href=\"/integrations/quickbooks/connect\"");
    }

    [Fact]
    public async Task Opened_WhileQuickBooksStillAcceptsTheConnection_SaysItIsStillConnected()
    {
        await _app.ConnectAcmeAsync();

        var page = await OpenAsync();

        page.ShouldContain("QuickBooks is still connected");
        page.ShouldContain("QuickBooks still accepts Jobkore's connection to <b>Acme Plumbing & Heating LLC</b>");
        page.ShouldNotContain("href=\"/integrations/quickbooks/connect\"");
        (await StoredStatusAsync()).ShouldBe(QuickBooksConnectionStatus.Connected);
    }

    [Fact]
    public async Task Opened_WithNoConnection_SaysSoAndOffersAdminsConnect()
    {
        var page = await OpenAsync();

        page.ShouldContain("QuickBooks is not connected");
        page.ShouldContain("href=\"/integrations/quickbooks/connect\"");
        page.ShouldContain("Connect QuickBooks");
    }

    [Fact]
    public async Task Opened_WhenQuickBooksCannotBeReached_SaysItCouldNotCheck_AndChangesNothing()
    {
        await using var app = new QuickBooksApp(settings: new() { ["QuickBooks:Client:TransientAttempts"] = "1" });
        await app.ConnectAcmeAsync();
        app.Faults.Configure(QuickBooksApp.AcmeRealm, new Jobkore.QuickBooksSandbox.FaultInjection.FaultSettings { ServerErrorRate = 1 });

        var page = await OpenAsync(app);

        page.ShouldContain("QuickBooks could not be reached");
        page.ShouldContain("Reconnect needed");
        (await StoredStatusAsync(app)).ShouldBe(QuickBooksConnectionStatus.Connected);
    }

    [Fact]
    public async Task Opened_Anonymously_AsksToSignInFirstAndComesBack()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };

        using var response = await client.GetAsync(new Uri(Path, UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldEndWith("/account/signin?ReturnUrl=%2Fintegrations%2Fquickbooks%2Fdisconnected");
    }
}

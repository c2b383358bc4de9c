using System.Net;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Web.QuickBooks;

/// <summary>
/// Intuit's technical review: the connection belongs to the business, not to a browser session — it survives
/// signing out and signing in again in another browser. Real cookies, the demo sign-in, the built-in sandbox over HTTP.
/// </summary>
public sealed class ConnectionAcrossSessionsTests : IAsyncLifetime
{
    private readonly JobkoreAppFactory _factory = new();
    private Uri _baseAddress = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _baseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task Connection_AfterSigningOutAndInAgainInAnotherBrowser_StillShowsConnectedToTheSameCompany()
    {
        using (var first = DemoBrowser.At(_baseAddress))
        {
            (await first.SignInAsync("dana")).Dispose();
            (await QuickBooksApp.ConnectAsync(first.Client)).ShouldBe("/settings/integrations?quickbooks=connected");
            using var signOut = await first.SignOutAsync("/settings/integrations");
            signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            using var afterSignOut = await first.Client.GetAsync(new Uri("/settings/integrations", UriKind.Relative), Ct);
            afterSignOut.StatusCode.ShouldBe(HttpStatusCode.Redirect, "signed out: the page asks to sign in again");
        }

        using var second = DemoBrowser.At(_baseAddress);
        (await second.SignInAsync("dana")).Dispose();
        var page = await second.Client.GetStringAsync(new Uri("/settings/integrations", UriKind.Relative), Ct);

        page.ShouldContain("Connection status: Connected");
        page.ShouldContain("Acme Plumbing &amp; Heating LLC");
        page.ShouldContain("Company ID 9341452713218474");
        page.ShouldContain(">Disconnect<");
        page.ShouldNotContain("Connect QuickBooks");

        using var staff = DemoBrowser.At(_baseAddress);
        (await staff.SignInAsync("sam")).Dispose();
        (await staff.Client.GetStringAsync(new Uri("/settings/integrations", UriKind.Relative), Ct)).ShouldContain("Connection status: Connected");
    }
}

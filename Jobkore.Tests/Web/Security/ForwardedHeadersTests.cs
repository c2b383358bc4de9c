using System.Net;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Jobkore.Tests.Web.Security;

/// <summary>
/// Behind a TLS-terminating proxy the app sees plain HTTP on its own address. With <c>ForwardedHeaders:Enabled</c> it
/// takes the scheme and host from the proxy's X-Forwarded-* headers — only from a proxy it knows — so cookies stay
/// Secure and the redirect URI Intuit gets is the public https one.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string PublicHost = "jobkore.example.com";
    private const string PublicCallback = $"https://{PublicHost}/integrations/quickbooks/callback";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpClient BehindProxy(QuickBooksApp app)
    {
        var client = app.Client();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-Host", PublicHost);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        return client;
    }

    private static async Task<string> RedirectUriSentToIntuitAsync(HttpClient client)
    {
        using var start = await client.GetAsync(new Uri("/integrations/quickbooks/connect", UriKind.Relative), Ct);
        start.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return QueryHelpers.ParseQuery(new Uri(client.BaseAddress!, start.Headers.Location!).Query)["redirect_uri"].ToString();
    }

    [Fact]
    public async Task Connect_BehindATlsProxy_CompletesWithThePublicHttpsRedirectUri()
    {
        await using var app = new QuickBooksApp(settings: new() { ["ForwardedHeaders:Enabled"] = "true" });
        using var client = BehindProxy(app);

        (await RedirectUriSentToIntuitAsync(client)).ShouldBe(PublicCallback);
        var landing = await QuickBooksApp.ConnectAsync(client, tamperCallback: callback =>
        {
            // Intuit sends the browser to the public address; the proxy passes it on to the app.
            callback.ShouldStartWith(PublicCallback + "?");
            return new Uri(callback).PathAndQuery;
        });

        landing.ShouldBe("/settings/integrations?quickbooks=connected");
    }

    [Fact]
    public async Task Connect_ForwardedHeadersNotEnabled_IgnoresThem()
    {
        await using var app = new QuickBooksApp();
        using var client = BehindProxy(app);

        (await RedirectUriSentToIntuitAsync(client)).ShouldBe(new Uri(app.BaseAddress, "/integrations/quickbooks/callback").ToString());
    }

    [Fact]
    public async Task Connect_FromAProxyThatIsNotKnown_IgnoresItsHeaders()
    {
        await using var app = new QuickBooksApp(settings: new() { ["ForwardedHeaders:Enabled"] = "true", ["ForwardedHeaders:KnownProxies:0"] = "10.20.30.40" });
        using var client = BehindProxy(app);

        (await RedirectUriSentToIntuitAsync(client)).ShouldBe(new Uri(app.BaseAddress, "/integrations/quickbooks/callback").ToString());
    }

    [Fact]
    public async Task Connect_FromAProxyInAKnownNetwork_UsesItsHeaders()
    {
        await using var app = new QuickBooksApp(settings: new() { ["ForwardedHeaders:Enabled"] = "true", ["ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8" });
        using var client = BehindProxy(app);

        (await RedirectUriSentToIntuitAsync(client)).ShouldBe(PublicCallback);
    }

    [Fact]
    public async Task DemoSignIn_InDevelopmentBehindATlsProxy_SetsSecureCookies()
    {
        await using var app = new QuickBooksApp(settings: new() { ["ForwardedHeaders:Enabled"] = "true" });
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var cookies = await DemoBrowser.SignInByHandAsync(client);

        cookies.Select(c => c.Name.Value).ShouldContain("Jobkore.Auth");
        cookies.ShouldAllBe(c => c.Secure && c.HttpOnly);
    }

    [Theory]
    [InlineData("KnownProxies", "proxy.example.com", "ForwardedHeaders:KnownProxies")]
    [InlineData("KnownNetworks", "10.0.0.0/33", "ForwardedHeaders:KnownNetworks")]
    [InlineData("AllowedHosts", "https://jobkore.example.com", "ForwardedHeaders:AllowedHosts")]
    [InlineData("KnownProxies", "10.1", "ForwardedHeaders:KnownProxies")]
    [InlineData("AllowedHosts", "jobkore.example.com:443", "ForwardedHeaders:AllowedHosts")]
    public async Task Start_WithABadForwardedHeadersSetting_StopsNamingTheKey(string list, string value, string key)
    {
        await using var sut = new JobkoreAppFactory();
        sut.Settings["ForwardedHeaders:Enabled"] = "true";
        sut.Settings[$"ForwardedHeaders:{list}:0"] = value;

        var ex = Should.Throw<OptionsValidationException>(() => sut.CreateClient());

        ex.Message.ShouldContain(key);
    }

    [Theory]
    [InlineData("KnownProxies", "10.0.0.5")]
    [InlineData("KnownProxies", "2001:db8::5")]
    [InlineData("AllowedHosts", "*.example.com")]
    [InlineData("AllowedHosts", "[2001:db8::1]")]
    public async Task Start_WithAGoodForwardedHeadersSetting_Starts(string list, string value)
    {
        await using var sut = new JobkoreAppFactory();
        sut.Settings["ForwardedHeaders:Enabled"] = "true";
        sut.Settings[$"ForwardedHeaders:{list}:0"] = value;
        using var client = sut.CreateClient();

        (await client.GetStringAsync("/health/live", TestContext.Current.CancellationToken)).ShouldBe("Healthy");
    }
}

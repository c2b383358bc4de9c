using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>
/// Registered redirect URIs (QuickBooks:RedirectUris): matched exactly, except that an http URI on a loopback IP address
/// matches on any port (RFC 8252 §7.3), for apps on this machine whose port is chosen when they start.
/// </summary>
public sealed class SandboxRedirectUriTests(SandboxRedirectUriTests.RegisteredRedirectHost sandbox) : IClassFixture<SandboxRedirectUriTests.RegisteredRedirectHost>
{
    private const string Loopback = "http://127.0.0.1/integrations/quickbooks/callback";
    private const string Public = "https://app.example/integrations/quickbooks/callback";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class RegisteredRedirectHost : SandboxHost
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("QuickBooks:RedirectUris:0", Loopback), new("QuickBooks:RedirectUris:1", Public)];
    }

    [Theory]
    [InlineData("http://127.0.0.1:5123/integrations/quickbooks/callback")]
    [InlineData("http://127.0.0.1:80/integrations/quickbooks/callback")]
    [InlineData(Loopback)]
    [InlineData(Public)]
    public async Task Authorize_RegisteredOrLoopbackOnAnyPort_ShowsTheConsentPage(string redirectUri)
    {
        using var response = await AuthorizeAsync(redirectUri);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("Connect Jobkore to QuickBooks");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5123/integrations/quickbooks/other")]
    [InlineData("http://127.0.0.1:5123/integrations/quickbooks/callback?next=x")]
    [InlineData("http://localhost:5123/integrations/quickbooks/callback")]
    [InlineData("http://127.0.0.2:5123/integrations/quickbooks/callback")]
    [InlineData("https://127.0.0.1:5123/integrations/quickbooks/callback")]
    [InlineData("https://app.example:8443/integrations/quickbooks/callback")]
    [InlineData("http://app.example/integrations/quickbooks/callback")]
    public async Task Authorize_AnyOtherRedirect_IsAnErrorPageNeverARedirect(string redirectUri)
    {
        using var response = await AuthorizeAsync(redirectUri);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("is not registered for this app");
    }

    [Fact]
    public async Task Connect_LoopbackRedirectOnAnotherPort_RedirectsThereWithACodeThatExchanges()
    {
        const string redirectUri = "http://127.0.0.1:40123/integrations/quickbooks/callback";

        var redirect = await sandbox.DecideAsync(SandboxHost.AcmeRealm, redirectUri: redirectUri);
        using var token = await sandbox.TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = SandboxHost.Param(redirect, "code"), ["redirect_uri"] = redirectUri });

        redirect.GetLeftPart(UriPartial.Path).ShouldBe(redirectUri);
        token.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await token.Content.ReadFromJsonAsync<JsonObject>(Ct))!["access_token"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
    }

    private Task<HttpResponseMessage> AuthorizeAsync(string redirectUri) => sandbox.Http.GetAsync(
        $"{SandboxHost.BasePath}/connect/oauth2?client_id={SandboxHost.ClientId}&response_type=code&scope=com.intuit.quickbooks.accounting&redirect_uri={Uri.EscapeDataString(redirectUri)}&state=abc", Ct);
}

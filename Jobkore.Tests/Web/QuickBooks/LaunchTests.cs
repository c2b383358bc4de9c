using System.Net;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jobkore.Tests.Web.QuickBooks;

/// <summary>
/// The Launch URL registered with Intuit (what QuickBooks' Apps page opens): sign in, then Settings › Integrations,
/// where the connection is managed.
/// </summary>
public sealed class LaunchTests
{
    private const string Launch = "/integrations/quickbooks/launch";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Launch_Anonymous_GoesThroughTheSignInPageToIntegrations()
    {
        await using var app = new JobkoreAppFactory();
        using var browser = new DemoBrowser(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

        using var launch = await browser.Client.GetAsync(new Uri(Launch, UriKind.Relative), Ct);
        launch.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        launch.Headers.Location!.PathAndQuery.ShouldBe("/account/signin?ReturnUrl=%2Fintegrations%2Fquickbooks%2Flaunch");
        using var signIn = await browser.SignInAsync("dana", returnUrl: Launch);
        signIn.Headers.Location!.OriginalString.ShouldBe(Launch);
        using var signedIn = await browser.Client.GetAsync(new Uri(Launch, UriKind.Relative), Ct);

        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.Location!.OriginalString.ShouldBe("/settings/integrations");
        signedIn.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var page = await browser.Client.GetStringAsync(new Uri("/settings/integrations", UriKind.Relative), Ct);
        page.ShouldContain("Integrations");
        page.ShouldContain("Connect QuickBooks");
    }

    [Fact]
    public async Task Launch_Anonymous_WithEntraId_IsChallengedToComeBackToTheLaunch()
    {
        await using var app = EntraApp.Factory();
        using var client = app.Client();

        using var launch = await client.GetAsync(new Uri(Launch, UriKind.Relative), Ct);

        launch.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        app.ReadChallenge(launch.Headers.Location!).State.RedirectUri.ShouldBe(Launch);
    }
}

using System.Net;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jobkore.Tests.Web.Identity;

public sealed class DemoSignInTests : IAsyncLifetime
{
    private readonly JobkoreAppFactory _factory = new();
    private DemoBrowser _browser = default!;

    public ValueTask InitializeAsync()
    {
        _browser = new DemoBrowser(_factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _browser.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task SignInPage_InDevelopmentWithoutAzureAd_OffersBothDemoUsersAndSaysItIsADemo()
    {
        var html = await _browser.Client.GetStringAsync("/account/signin", TestContext.Current.CancellationToken);

        html.ShouldContain("Demo sign-in.");
        html.ShouldContain("Dana Rivera — admin");
        html.ShouldContain("Sam Chen — staff");
        html.ShouldContain("AzureAd:ClientId");
    }

    [Fact]
    public async Task DemoSignIn_Staff_GetsACookieAndSeesTheirNameAndRole()
    {
        using var signIn = await _browser.SignInAsync("sam", returnUrl: "/payments");
        var page = await _browser.Client.GetStringAsync("/payments", TestContext.Current.CancellationToken);

        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signIn.Headers.Location!.OriginalString.ShouldBe("/payments");
        page.ShouldContain("Sam Chen");
        page.ShouldContain(">Staff<");
    }

    [Theory]
    [MemberData(nameof(ReturnUrlCases.All), MemberType = typeof(ReturnUrlCases))]
    public async Task DemoSignIn_ReturnUrl_OnlyALocalPathSurvives(string returnUrl, string expected)
    {
        using var signIn = await _browser.SignInAsync("dana", returnUrl);

        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signIn.Headers.Location!.OriginalString.ShouldBe(expected);
    }

    [Fact]
    public async Task DemoSignIn_UnknownUser_IsNotFound()
    {
        using var signIn = await _browser.SignInAsync("mallory");

        signIn.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SignOut_WithToken_EndsTheSessionAndPagesAskToSignInAgain()
    {
        (await _browser.SignInAsync("dana")).Dispose();

        using var signOut = await _browser.SignOutAsync("/invoices");
        using var after = await _browser.Client.GetAsync("/invoices", TestContext.Current.CancellationToken);

        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signOut.Headers.Location!.OriginalString.ShouldBe("/account/signin");
        after.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.Headers.Location!.OriginalString.ShouldContain("/account/signin?ReturnUrl=%2Finvoices");
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jobkore.Tests.Web.Identity;

public sealed partial class DemoSignInTests : IAsyncLifetime
{
    private readonly JobkoreAppFactory _factory = new();
    private HttpClient _client = default!;

    public ValueTask InitializeAsync()
    {
        _client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private async Task<string> TokenFromAsync(string path)
    {
        var html = await _client.GetStringAsync(path, TestContext.Current.CancellationToken);
        return AntiforgeryToken().Match(html).Groups[1].Value;
    }

    private Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> form) =>
        _client.PostAsync(path, new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);

    [Fact]
    public async Task SignInPage_InDevelopmentWithoutAzureAd_OffersBothDemoUsersAndSaysItIsADemo()
    {
        var html = await _client.GetStringAsync("/account/signin", TestContext.Current.CancellationToken);

        html.ShouldContain("Demo sign-in.");
        html.ShouldContain("Dana Rivera — admin");
        html.ShouldContain("Sam Chen — staff");
        html.ShouldContain("AzureAd:ClientId");
    }

    [Fact]
    public async Task DemoSignIn_Staff_GetsACookieAndSeesTheirNameAndRole()
    {
        var token = await TokenFromAsync("/account/signin");

        using var signIn = await PostAsync("/account/demo-signin", new() { ["user"] = "sam", ["returnUrl"] = "/payments", ["__RequestVerificationToken"] = token });
        var page = await _client.GetStringAsync("/payments", TestContext.Current.CancellationToken);

        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signIn.Headers.Location!.OriginalString.ShouldBe("/payments");
        page.ShouldContain("Sam Chen");
        page.ShouldContain(">Staff<");
    }

    [Fact]
    public async Task DemoSignIn_ReturnUrlToAnotherSite_GoesToInvoicesInstead()
    {
        var token = await TokenFromAsync("/account/signin");

        using var signIn = await PostAsync("/account/demo-signin", new() { ["user"] = "dana", ["returnUrl"] = "//evil.example/phish", ["__RequestVerificationToken"] = token });

        signIn.Headers.Location!.OriginalString.ShouldBe("/invoices");
    }

    [Fact]
    public async Task DemoSignIn_UnknownUser_IsNotFound()
    {
        var token = await TokenFromAsync("/account/signin");

        using var signIn = await PostAsync("/account/demo-signin", new() { ["user"] = "mallory", ["__RequestVerificationToken"] = token });

        signIn.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SignOut_WithToken_EndsTheSessionAndPagesAskToSignInAgain()
    {
        var signInToken = await TokenFromAsync("/account/signin");
        (await PostAsync("/account/demo-signin", new() { ["user"] = "dana", ["__RequestVerificationToken"] = signInToken })).Dispose();
        var pageToken = await TokenFromAsync("/invoices");

        using var signOut = await PostAsync("/account/signout", new() { ["__RequestVerificationToken"] = pageToken });
        using var after = await _client.GetAsync("/invoices", TestContext.Current.CancellationToken);

        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signOut.Headers.Location!.OriginalString.ShouldBe("/account/signin");
        after.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.Headers.Location!.OriginalString.ShouldContain("/account/signin?ReturnUrl=%2Finvoices");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

using System.Net;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Web.Components.Layout;

/// <summary>
/// The real pipeline's HTML: a page prerendered for its circuit arrives inert and saying Connecting…, while pages
/// rendered statically on purpose, which get no circuit, arrive usable.
/// </summary>
public sealed class MainLayoutPrerenderTests
{
    private const string ThrowingPath = "/test-throws";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Production (the exception handler renders the error page there), with Entra ID set up offline and the built-in sandbox allowed.</summary>
    private static readonly Dictionary<string, string?> s_production = new()
    {
        ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd:TenantId"] = "6c1f4a02-8d2e-4b7a-9c35-0f7e2d9a1b44",
        ["AzureAd:ClientId"] = "3f2b9e71-54c6-4d0a-a8e1-7b9c2d4f6e10",
        ["AzureAd:ClientSecret"] = "not-a-real-secret",
        ["AzureAd:CallbackPath"] = "/signin-oidc",
        ["QuickBooks:Environment"] = "BuiltInSandbox",
        ["QuickBooks:BuiltInSandbox:AllowInProduction"] = "true",
    };

    [Fact]
    public async Task Pages_OnlyThoseWithACircuitComing_ArriveInertAndSayingConnecting()
    {
        await using var app = new QuickBooksApp(settings: s_production, environmentName: "Production",
            testServices: s => s.AddSingleton<IStartupFilter>(new ThrowOnPath()));
        using var signedIn = app.Client();
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        var integrations = await HtmlAsync(signedIn, "/settings/integrations", HttpStatusCode.OK);
        integrations.ShouldContain("Connect QuickBooks");
        integrations.ShouldContain("inert");
        integrations.ShouldContain("aria-busy=\"true\"");
        integrations.ShouldContain("Connecting…");

        var signIn = await HtmlAsync(anonymous, "/account/signin", HttpStatusCode.OK);
        signIn.ShouldContain("Sign in with Microsoft");
        signIn.ShouldNotContain("inert");
        signIn.ShouldNotContain("Connecting…");

        var error = await HtmlAsync(signedIn, ThrowingPath, HttpStatusCode.InternalServerError);
        error.ShouldContain("Something went wrong");
        error.ShouldContain("Toggle navigation", customMessage: "the error page in the main layout");
        error.ShouldNotContain("inert");
        error.ShouldNotContain("Connecting…");
    }

    private static async Task<string> HtmlAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(expected, html);
        return html;
    }

    /// <summary>After the app's own pipeline found no endpoint for <see cref="ThrowingPath"/>, throws, so the app's exception handler renders the error page.</summary>
    private sealed class ThrowOnPath : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((HttpContext context, RequestDelegate rest) =>
                context.Request.Path == ThrowingPath ? throw new InvalidOperationException("A test page that fails.") : rest(context));
        };
    }
}

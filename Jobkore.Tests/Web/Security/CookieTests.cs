using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobkore.Tests.Web.Security;

/// <summary>
/// Intuit's security review: session cookies Secure and HttpOnly. The sign-in and antiforgery cookies are HttpOnly,
/// SameSite Lax or Strict, and Secure outside Development (whatever the scheme the request arrived on, so a TLS proxy
/// in front changes nothing) and over HTTPS in Development.
/// </summary>
public sealed class CookieTests
{
    private const string AuthCookie = "Jobkore.Auth";
    private const string AntiforgeryCookiePrefix = ".AspNetCore.Antiforgery.";

    [Theory]
    [InlineData("Production", "http", true)]
    [InlineData("Production", "https", true)]
    [InlineData("Development", "https", true)]
    [InlineData("Development", "http", false)]
    public async Task DemoSignIn_SetsHttpOnlySameSiteCookies_SecureOutsideDevelopmentOrOverHttps(string environment, string scheme, bool secure)
    {
        await using var app = new JobkoreAppFactory { EnvironmentName = environment };
        ProductionSettings(app);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri($"{scheme}://localhost") });

        var cookies = await DemoBrowser.SignInByHandAsync(client);

        var antiforgery = cookies.Single(c => c.Name.Value!.StartsWith(AntiforgeryCookiePrefix, StringComparison.Ordinal));
        antiforgery.Secure.ShouldBe(secure);
        antiforgery.HttpOnly.ShouldBeTrue();
        antiforgery.SameSite.ShouldBe(Microsoft.Net.Http.Headers.SameSiteMode.Strict);
        var session = cookies.Single(c => c.Name == AuthCookie);
        session.Secure.ShouldBe(secure);
        session.HttpOnly.ShouldBeTrue();
        session.SameSite.ShouldBe(Microsoft.Net.Http.Headers.SameSiteMode.Lax);
    }

    [Fact]
    public async Task EntraSignIn_OutsideDevelopment_CookiesAreSecureAndHttpOnly_TheSessionsLax()
    {
        await using var app = EntraApp.Factory("Production");
        ProductionSettings(app);
        using var browser = new DemoBrowser(app.Client(new Uri("https://localhost")));

        using var challenge = await browser.SubmitAsync("/account/signin", "/account/signin-microsoft", new() { ["returnUrl"] = "/invoices" });

        // The session cookie is written after Microsoft's answer (unreachable here), through the same cookie policy as
        // the challenge's correlation and nonce cookies: those are checked as sent, the session cookie's own options as set.
        var policy = app.Services.GetRequiredService<IOptions<CookiePolicyOptions>>().Value;
        policy.Secure.ShouldBe(CookieSecurePolicy.Always);
        policy.HttpOnly.ShouldBe(Microsoft.AspNetCore.CookiePolicy.HttpOnlyPolicy.Always);
        var session = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme).Cookie;
        session.HttpOnly.ShouldBeTrue();
        session.SameSite.ShouldBe(Microsoft.AspNetCore.Http.SameSiteMode.Lax);

        // Correlation and nonce keep SameSite=None, as Microsoft posts the answer back from its own site (form_post).
        var challengeCookies = DemoBrowser.SetCookies(challenge);
        challengeCookies.Count.ShouldBeGreaterThanOrEqualTo(2);
        challengeCookies.ShouldAllBe(c => c.Secure && c.HttpOnly);
    }

    /// <summary>What a Production start needs besides sign-in: the built-in sandbox, allowed explicitly.</summary>
    private static void ProductionSettings(JobkoreAppFactory app)
    {
        app.Settings["Authentication:DemoSignIn"] = "true";
        app.Settings["QuickBooks:Environment"] = "BuiltInSandbox";
        app.Settings["QuickBooks:BuiltInSandbox:AllowInProduction"] = "true";
    }
}

using Jobkore.Core.Businesses;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Jobkore.Web.Identity;

/// <summary>Sign-in and sign-out endpoints. Both are form posts, so antiforgery applies.</summary>
internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/account");

        account.MapPost("/demo-signin", async ([FromForm] string user, [FromForm] string? returnUrl, HttpContext context, SignInModeHolder signIn, DefaultBusiness business) =>
        {
            var demoUser = DemoUsers.Find(user);
            if (signIn.Mode != SignInMode.Demo || demoUser is null)
            {
                return Results.NotFound();
            }

            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, demoUser.ToPrincipal(business.Profile));
            return Results.LocalRedirect(SafeReturnUrl(returnUrl));
        }).AllowAnonymous();

        account.MapPost("/signin-microsoft", ([FromForm] string? returnUrl, SignInModeHolder signIn) =>
            signIn.Mode == SignInMode.Entra
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme])
                : Results.NotFound()).AllowAnonymous();

        account.MapPost("/signout", ([FromForm] string? returnUrl, SignInModeHolder signIn) =>
            signIn.Mode == SignInMode.Entra
                ? Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme])
                : Results.SignOut(new AuthenticationProperties { RedirectUri = JobkoreAuthenticationExtensions.SignInPath }, [CookieAuthenticationDefaults.AuthenticationScheme]));

        return endpoints;
    }

    /// <summary>
    /// Only a path on this site, by ASP.NET Core's own <c>IsLocalUrl</c> rules (no <c>//host</c>, no <c>/\\host</c>, no
    /// control characters, which browsers strip: <c>/&#9;/host</c> would become <c>//host</c>); anything else goes to
    /// the start page. An open redirect to another site is never followed, in either sign-in mode.
    /// </summary>
    private static string SafeReturnUrl(string? returnUrl) =>
        RedirectHttpResult.IsLocalUrl(returnUrl) ? (returnUrl[0] == '~' ? returnUrl[1..] : returnUrl) : "/";
}

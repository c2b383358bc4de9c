using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;

namespace Jobkore.Web.Identity;

internal static class JobkoreAuthenticationExtensions
{
    public const string SignInPath = "/account/signin";
    public const string AccessDeniedPath = "/account/access-denied";

    /// <summary>
    /// Microsoft Entra ID when the AzureAd section is configured, else the demo sign-in where allowed; every page
    /// requires a signed-in user, and the admin policies require the Admin app role.
    /// </summary>
    public static IServiceCollection AddJobkoreAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var mode = SignInConfiguration.Decide(configuration, environment);
        services.AddSingleton(new SignInModeHolder(mode));
        if (mode == SignInMode.Entra)
        {
            services.AddAuthentication(OpenIdConnectDefaults.AuthenticationScheme)
                .AddMicrosoftIdentityWebApp(configuration.GetSection(SignInConfiguration.AzureAdSection));
            services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
            {
                var previous = options.Events.OnTokenValidated;
                options.Events.OnTokenValidated = async context =>
                {
                    await previous(context);
                    await AddTenantBusinessAsync(context);
                };
            });
            services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, options => options.AccessDeniedPath = AccessDeniedPath);
        }
        else
        {
            services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
            {
                options.LoginPath = SignInPath;
                options.AccessDeniedPath = AccessDeniedPath;
                options.Cookie.Name = "Jobkore.Auth";
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
            });
        }

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.IntegrationAdmin, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(Policies.BusinessAdmin, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        services.AddCascadingAuthenticationState();
        services.AddScoped<CurrentUser>();
        services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<CurrentUser>());
        services.AddScoped<ICurrentBusiness>(sp => sp.GetRequiredService<CurrentUser>());
        services.AddSingleton<Jobkore.Core.Sync.IBusinessScopeFactory, SystemBusinessScopes>();
        services.AddScoped<CircuitHandler, UserCircuitHandler>();
        return services;
    }

    public static IApplicationBuilder UseJobkoreCurrentUser(this IApplicationBuilder app) => app.UseMiddleware<CurrentUserMiddleware>();

    /// <summary>A user's business comes from their Entra tenant; the business is created on the tenant's first sign-in.</summary>
    internal static async Task AddTenantBusinessAsync(TokenValidatedContext context)
    {
        var identity = context.Principal?.Identity as System.Security.Claims.ClaimsIdentity;
        var tenantId = context.Principal?.FindFirst(JobkoreClaimTypes.TenantId)?.Value;
        if (identity is null || string.IsNullOrWhiteSpace(tenantId))
        {
            context.Fail("The sign-in has no tenant id (tid claim), so Jobkore cannot tell which business the user belongs to.");
            return;
        }

        var services = context.HttpContext.RequestServices;
        var defaults = services.GetRequiredService<IOptions<BusinessOptions>>().Value;
        var business = await services.GetRequiredService<BusinessDirectory>()
            .FindOrCreateForTenantAsync(tenantId, defaults.Name, defaults.Currency, defaults.TimeZone, context.HttpContext.RequestAborted);
        identity.AddClaim(new System.Security.Claims.Claim(JobkoreClaimTypes.BusinessId, business.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}

/// <summary>The sign-in mode chosen at start-up, for the sign-in page and endpoints.</summary>
public sealed record SignInModeHolder(SignInMode Mode);

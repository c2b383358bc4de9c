namespace Jobkore.Web.Identity;

/// <summary>Reads which sign-in this installation uses, and refuses a Production start that has none.</summary>
internal static class SignInConfiguration
{
    public const string AzureAdSection = "AzureAd";
    public const string DemoSignInKey = "Authentication:DemoSignIn";
    private static readonly string[] s_requiredAzureAdKeys = ["Instance", "TenantId", "ClientId"];

    public static SignInMode Decide(IConfiguration configuration, IHostEnvironment environment)
    {
        var azureAd = configuration.GetSection(AzureAdSection);
        var missing = s_requiredAzureAdKeys.Where(key => string.IsNullOrWhiteSpace(azureAd[key])).Select(key => $"{AzureAdSection}:{key}").ToList();
        if (missing.Count == 0)
        {
            return SignInMode.Entra;
        }

        var demoSwitch = configuration.GetValue<bool?>(DemoSignInKey);
        if (demoSwitch == true || (demoSwitch is null && environment.IsDevelopment()))
        {
            return SignInMode.Demo;
        }

        throw new InvalidOperationException(
            $"Sign-in is not configured. Set {string.Join(", ", missing)} in appsettings.json (and {AzureAdSection}:ClientSecret in an environment variable or user secrets) "
            + $"to sign in with Microsoft Entra ID, or set {DemoSignInKey} to true to allow the demo sign-in in the {environment.EnvironmentName} environment.");
    }
}

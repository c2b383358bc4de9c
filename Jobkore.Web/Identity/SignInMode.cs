namespace Jobkore.Web.Identity;

/// <summary>How people sign in to this installation, decided once at start-up from configuration.</summary>
public enum SignInMode
{
    /// <summary>Microsoft Entra ID through Microsoft.Identity.Web: the AzureAd section is configured.</summary>
    Entra,

    /// <summary>The demo sign-in page with a demo admin and a demo staff user.</summary>
    Demo,
}

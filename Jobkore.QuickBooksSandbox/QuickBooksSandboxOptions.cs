using System.ComponentModel.DataAnnotations;

namespace Jobkore.QuickBooksSandbox;

/// <summary>The sandbox's developer-app registration and token lifetimes (facts §1). Section "QuickBooksSandbox".</summary>
public sealed class QuickBooksSandboxOptions
{
    public const string SectionName = "QuickBooksSandbox";

    /// <summary>The demo app every fresh Jobkore uses against the built-in sandbox.</summary>
    public const string DemoClientId = "jobkore-demo-client";
    public const string DemoClientSecret = "jobkore-demo-secret";

    [Required]
    public string ClientId { get; set; } = DemoClientId;

    [Required]
    public string ClientSecret { get; set; } = DemoClientSecret;

    public string AppName { get; set; } = "Jobkore";

    /// <summary>Registered redirect URIs. Empty: the app's own <c>/integrations/quickbooks/callback</c> on the origin the request came to.</summary>
    public List<string> RedirectUris { get; } = [];

    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(3600);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromSeconds(8_726_400);

    /// <summary>How long a refresh token still works after a newer one was issued (Intuit: 24 h).</summary>
    public TimeSpan RefreshTokenGracePeriod { get; set; } = TimeSpan.FromHours(24);
}

using System.ComponentModel.DataAnnotations;

namespace Jobkore.Core.QuickBooks;

/// <summary>The app's QuickBooks registration and environment. Section "QuickBooks" of appsettings.json.</summary>
public sealed class QuickBooksOptions : IValidatableObject
{
    public const string SectionName = "QuickBooks";

    public const string EnvironmentMissing =
        "QuickBooks:Environment is not set. Set it to BuiltInSandbox, IntuitSandbox or Production; only the Development environment defaults to BuiltInSandbox.";

    /// <summary>
    /// Which QuickBooks the app talks to. No default here: the host supplies BuiltInSandbox in Development only,
    /// so an installation elsewhere never lands on the built-in sandbox by accident.
    /// </summary>
    [Required(ErrorMessage = EnvironmentMissing)]
    public QuickBooksEnvironment? Environment { get; set; }

    /// <summary><see cref="Environment"/>, which validation on start guarantees is set (a method, so neither binding nor validation reads it).</summary>
    public QuickBooksEnvironment RequiredEnvironment() => Environment ?? throw new InvalidOperationException(EnvironmentMissing);

    [Required(ErrorMessage = "QuickBooks:ClientId is missing; copy it from your app's Keys & credentials page at developer.intuit.com.")]
    public string ClientId { get; set; } = string.Empty;

    [Required(ErrorMessage = "QuickBooks:ClientSecret is missing; copy it from your app's Keys & credentials page at developer.intuit.com.")]
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>
    /// The redirect URI registered with Intuit. Unset: <c>/integrations/quickbooks/callback</c> on the address the
    /// browser used; set it when the app runs behind a proxy that changes the scheme or host.
    /// </summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>
    /// The verifier token of the app's webhook subscription at developer.intuit.com (Development and Production have
    /// their own): it checks every delivery's <c>intuit-signature</c>. A secret: set it in the environment
    /// (<c>QuickBooks__WebhookVerifierToken</c>). Unset, webhooks are refused and changes are found by the daily look.
    /// </summary>
    public string? WebhookVerifierToken { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RedirectUri is { IsAbsoluteUri: false })
        {
            yield return new ValidationResult("QuickBooks:RedirectUri must be an absolute URL such as https://jobkore.example.com/integrations/quickbooks/callback.", [nameof(RedirectUri)]);
        }

        if (Environment is { } environment && !Enum.IsDefined(environment))
        {
            yield return new ValidationResult($"QuickBooks:Environment '{environment}' is not one of BuiltInSandbox, IntuitSandbox or Production.", [nameof(Environment)]);
            yield break;
        }

        if (Environment != QuickBooksEnvironment.BuiltInSandbox && ClientId == "jobkore-demo-client")
        {
            yield return new ValidationResult($"QuickBooks:Environment is {Environment} but QuickBooks:ClientId is still the demo app's; set the ClientId and ClientSecret of your Intuit app.", [nameof(ClientId)]);
        }
    }
}

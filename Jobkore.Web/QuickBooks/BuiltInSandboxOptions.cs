using Microsoft.Extensions.Options;

namespace Jobkore.Web.QuickBooks;

/// <summary>Section "QuickBooks:BuiltInSandbox": whether the built-in sandbox may run outside Development, and where it runs.</summary>
public sealed class BuiltInSandboxOptions
{
    public const string SectionName = "QuickBooks:BuiltInSandbox";
    public const string AllowInProductionKey = SectionName + ":AllowInProduction";
    public const string UrlKey = SectionName + ":Url";

    /// <summary>Serve the built-in sandbox outside Development, for a public demo. Off: such a start is refused.</summary>
    public bool AllowInProduction { get; set; }

    /// <summary>
    /// The base URL of a sandbox running in a process of its own (the standalone <c>Jobkore.QuickBooksSandbox</c>, e.g.
    /// <c>http://127.0.0.1:5300/</c>), which several app processes may share. Set, the app serves no sandbox itself: its
    /// OAuth and API calls go there, and so do people's browsers for the consent page, so both must reach it. Unset, the
    /// app serves the sandbox at <c>/qbo-sandbox</c> on its own port.
    /// </summary>
    public Uri? Url { get; set; }

    /// <summary>Whether <paramref name="configuration"/> points the app at a sandbox in another process (the value is validated on start).</summary>
    public static bool IsExternal(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[UrlKey]);
}

/// <summary>
/// Refuses the built-in sandbox outside Development unless <see cref="BuiltInSandboxOptions.AllowInProduction"/> says so —
/// served by the app or elsewhere — and a <see cref="BuiltInSandboxOptions.Url"/> that is not an absolute http(s) URL.
/// </summary>
internal sealed class BuiltInSandboxOptionsValidator(IHostEnvironment environment) : IValidateOptions<BuiltInSandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, BuiltInSandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            return ValidateOptionsResult.Fail($"{BuiltInSandboxOptions.UrlKey} '{url.OriginalString}' is not an absolute http or https URL; set it to the sandbox's base URL, e.g. http://127.0.0.1:5300/.");
        }

        return environment.IsDevelopment() || options.AllowInProduction
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"QuickBooks:Environment is BuiltInSandbox in the {environment.EnvironmentName} environment, but the built-in sandbox is a development and demo tool. "
                + $"Set {BuiltInSandboxOptions.AllowInProductionKey} to true to serve it anyway (a public demo: a company per business, admin-only inspection, no fault controls), "
                + "or set QuickBooks:Environment to IntuitSandbox or Production with your Intuit app's keys.");
    }
}

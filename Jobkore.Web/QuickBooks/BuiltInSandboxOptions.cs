using Microsoft.Extensions.Options;

namespace Jobkore.Web.QuickBooks;

/// <summary>Section "QuickBooks:BuiltInSandbox": whether the built-in sandbox may run outside Development.</summary>
public sealed class BuiltInSandboxOptions
{
    public const string SectionName = "QuickBooks:BuiltInSandbox";
    public const string AllowInProductionKey = SectionName + ":AllowInProduction";

    /// <summary>Serve the built-in sandbox outside Development, for a public demo. Off: such a start is refused.</summary>
    public bool AllowInProduction { get; set; }
}

/// <summary>Refuses the built-in sandbox outside Development unless <see cref="BuiltInSandboxOptions.AllowInProduction"/> says so.</summary>
internal sealed class BuiltInSandboxOptionsValidator(IHostEnvironment environment) : IValidateOptions<BuiltInSandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, BuiltInSandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return environment.IsDevelopment() || options.AllowInProduction
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"QuickBooks:Environment is BuiltInSandbox in the {environment.EnvironmentName} environment, but the built-in sandbox is a development and demo tool. "
                + $"Set {BuiltInSandboxOptions.AllowInProductionKey} to true to serve it anyway (a public demo: a company per business, admin-only inspection, no fault controls), "
                + "or set QuickBooks:Environment to IntuitSandbox or Production with your Intuit app's keys.");
    }
}

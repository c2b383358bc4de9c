namespace Jobkore.Web;

/// <summary>
/// The QuickBooks sandbox that ships with the app: with <c>QuickBooks:Environment</c> = BuiltInSandbox (the default)
/// it answers at <c>/qbo-sandbox</c> on the app's own port, registered with the app's <c>QuickBooks:ClientId</c> and secret.
/// </summary>
internal static class BuiltInSandbox
{
    public const string SectionName = "QuickBooks";
    public const string BasePath = "/qbo-sandbox";

    public static bool IsOn(IConfiguration configuration) =>
        string.Equals(configuration[$"{SectionName}:Environment"] ?? "BuiltInSandbox", "BuiltInSandbox", StringComparison.OrdinalIgnoreCase);
}

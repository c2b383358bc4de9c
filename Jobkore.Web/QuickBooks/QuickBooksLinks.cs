using Jobkore.Core.QuickBooks;

namespace Jobkore.Web.QuickBooks;

/// <summary>
/// Where "Open in QuickBooks" goes, and how an environment is named on screen. The built-in sandbox's inspection pages are
/// under <c>/qbo-sandbox</c> on the app's own address, or under the <c>sandboxUrl</c> given
/// (<c>QuickBooks:BuiltInSandbox:Url</c>) when the sandbox runs in a process of its own.
/// </summary>
internal static class QuickBooksLinks
{
    public static string OpenCompany(QuickBooksEnvironment environment, string realmId, Uri? sandboxUrl) => environment switch
    {
        QuickBooksEnvironment.Production => "https://app.qbo.intuit.com/app/homepage",
        QuickBooksEnvironment.IntuitSandbox => "https://app.sandbox.qbo.intuit.com/app/homepage",
        _ => $"{SandboxBase(sandboxUrl)}/_sandbox/companies/{Uri.EscapeDataString(realmId)}/view",
    };

    /// <summary>An invoice's page in QuickBooks; in the built-in sandbox, its inspection page.</summary>
    public static string OpenInvoice(QuickBooksEnvironment environment, string realmId, string qboId, Uri? sandboxUrl) => environment switch
    {
        QuickBooksEnvironment.Production => $"https://app.qbo.intuit.com/app/invoice?txnId={Uri.EscapeDataString(qboId)}",
        QuickBooksEnvironment.IntuitSandbox => $"https://app.sandbox.qbo.intuit.com/app/invoice?txnId={Uri.EscapeDataString(qboId)}",
        _ => $"{SandboxBase(sandboxUrl)}/_sandbox/companies/{Uri.EscapeDataString(realmId)}/invoices/{Uri.EscapeDataString(qboId)}",
    };

    private static string SandboxBase(Uri? sandboxUrl) => sandboxUrl is null ? BuiltInSandbox.BasePath : sandboxUrl.AbsoluteUri.TrimEnd('/');

    /// <summary>The badge text for a non-production environment; null for Production, which needs no badge.</summary>
    public static string? EnvironmentBadge(QuickBooksEnvironment environment) => environment switch
    {
        QuickBooksEnvironment.BuiltInSandbox => "Built-in sandbox",
        QuickBooksEnvironment.IntuitSandbox => "Intuit sandbox",
        _ => null,
    };
}

using Jobkore.Core.QuickBooks;

namespace Jobkore.Web.QuickBooks;

/// <summary>Where "Open in QuickBooks" goes, and how an environment is named on screen.</summary>
internal static class QuickBooksLinks
{
    public static string OpenCompany(QuickBooksEnvironment environment, string realmId) => environment switch
    {
        QuickBooksEnvironment.Production => "https://app.qbo.intuit.com/app/homepage",
        QuickBooksEnvironment.IntuitSandbox => "https://app.sandbox.qbo.intuit.com/app/homepage",
        _ => $"{BuiltInSandbox.BasePath}/_sandbox/companies/{Uri.EscapeDataString(realmId)}/view",
    };

    /// <summary>An invoice's page in QuickBooks; in the built-in sandbox, its inspection page.</summary>
    public static string OpenInvoice(QuickBooksEnvironment environment, string realmId, string qboId) => environment switch
    {
        QuickBooksEnvironment.Production => $"https://app.qbo.intuit.com/app/invoice?txnId={Uri.EscapeDataString(qboId)}",
        QuickBooksEnvironment.IntuitSandbox => $"https://app.sandbox.qbo.intuit.com/app/invoice?txnId={Uri.EscapeDataString(qboId)}",
        _ => $"{BuiltInSandbox.BasePath}/_sandbox/companies/{Uri.EscapeDataString(realmId)}/invoices/{Uri.EscapeDataString(qboId)}",
    };

    /// <summary>The badge text for a non-production environment; null for Production, which needs no badge.</summary>
    public static string? EnvironmentBadge(QuickBooksEnvironment environment) => environment switch
    {
        QuickBooksEnvironment.BuiltInSandbox => "Built-in sandbox",
        QuickBooksEnvironment.IntuitSandbox => "Intuit sandbox",
        _ => null,
    };
}

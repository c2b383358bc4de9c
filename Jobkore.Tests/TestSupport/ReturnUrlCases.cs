namespace Jobkore.Tests.TestSupport;

/// <summary>
/// Return URLs to sign in with, each with where the browser must end up: only a local path survives, by ASP.NET
/// Core's IsLocalUrl rules (browsers strip a tab or line break, so <c>/\t/host</c> would be <c>//host</c>).
/// </summary>
public static class ReturnUrlCases
{
    public static TheoryData<string, string> All => new()
    {
        { "/\t/evil.example", "/" },
        { "/\r\n/evil.example", "/" },
        { "//evil.example/phish", "/" },
        { "/\\evil.example", "/" },
        { "https://evil.example/", "/" },
        { "", "/" },
        { "~/payments", "/payments" },
        { "/invoices?sync=failed", "/invoices?sync=failed" },
    };
}

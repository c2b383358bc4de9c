namespace Jobkore.QuickBooksSandbox;

/// <summary>Where the sandbox is mounted in the host app, e.g. "/qbo-sandbox" (empty at the root).</summary>
internal sealed class SandboxMount
{
    public string BasePath { get; set; } = string.Empty;
}

internal static class SandboxPaths
{
    public static string BasePath(HttpContext context) => context.RequestServices.GetRequiredService<SandboxMount>().BasePath;
}

/// <summary>The file-backed store when one is configured; null keeps the sandbox in memory.</summary>
internal sealed record SandboxPersistence(Storage.SandboxStore? Store);

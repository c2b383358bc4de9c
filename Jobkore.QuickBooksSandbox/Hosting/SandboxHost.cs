using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Jobkore.QuickBooksSandbox.Hosting;

/// <summary>
/// <c>dotnet run --project Jobkore.QuickBooksSandbox</c>: the sandbox alone, at the root path, configured like any ASP.NET
/// Core app (<c>--urls http://127.0.0.1:0 --QuickBooks:ExtraCompanies=18</c>). Once it listens it writes one line to
/// standard output, <see cref="ListeningPrefix"/> and its base URL, so whoever started it on a free port (port 0) knows
/// where it answers; an app uses it with <c>QuickBooks:BuiltInSandbox:Url</c> set to that URL.
/// </summary>
public static class SandboxHost
{
    public const string ListeningPrefix = "QuickBooks sandbox listening at ";

    public static Task Main(string[] args) => RunAsync(args, CancellationToken.None);

    /// <summary>Serves the sandbox until the host is told to stop (Ctrl+C, SIGTERM) or <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddQuickBooksSandbox(builder.Configuration.GetSection(QuickBooksSandboxOptions.SectionName), builder.Environment.ContentRootPath);
        await using var app = builder.Build();
        app.MapQuickBooksSandbox(string.Empty);
        await app.StartAsync(cancellationToken);
        await Console.Out.WriteLineAsync(ListeningPrefix + BaseUrl(app.Services.GetRequiredService<IServer>()));
        await Console.Out.FlushAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>The first address it listens on (plain HTTP preferred), a wildcard host as the loopback address, ending in a slash.</summary>
    private static Uri BaseUrl(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.First();
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }

        uri.Path = "/";
        return uri.Uri;
    }
}

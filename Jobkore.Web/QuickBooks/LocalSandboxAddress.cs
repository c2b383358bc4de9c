using Jobkore.Core.QuickBooks.OAuth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Jobkore.Web.QuickBooks;

/// <summary>
/// The built-in sandbox on this process's own listening address, for the app's server-to-server calls (token
/// exchange, Accounting API). Wildcard hosts become the loopback address; plain HTTP is preferred over HTTPS.
/// </summary>
internal sealed class LocalSandboxAddress(IServer server) : ILocalSandboxAddress
{
    private Uri? _baseUrl;

    public Uri BaseUrl => _baseUrl ??= Resolve();

    public bool ServedByThisApp => true;

    private Uri Resolve()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new IntuitOAuthException("The built-in QuickBooks sandbox needs the app to listen on an HTTP address; none is configured.");
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }

        uri.Path = BuiltInSandbox.BasePath.TrimEnd('/') + "/";
        return uri.Uri;
    }
}

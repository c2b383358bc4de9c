using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Jobkore.QuickBooksSandbox.Webhooks;

/// <summary>
/// Where webhooks go: <c>QuickBooks:Webhooks:Url</c> as it is when absolute; a path is resolved against the first
/// address the sandbox's host listens on (plain HTTP preferred, a wildcard host as the loopback address) — the app's own
/// origin when the app serves the sandbox, the standalone sandbox's when it runs alone.
/// </summary>
internal sealed class WebhookTarget(IOptions<QuickBooksSandboxOptions> options, IServer server)
{
    public bool TryResolve(out Uri url, out string error)
    {
        var configured = options.Value.Webhooks.Url ?? string.Empty;
        if (!configured.StartsWith('/'))
        {
            (url, error) = (new Uri(configured, UriKind.Absolute), string.Empty);
            return true;
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault();
        if (address is null)
        {
            (url, error) = (null!, $"The sandbox's host listens on no address to resolve {configured} against; set QuickBooks:Webhooks:Url to an absolute URL.");
            return false;
        }

        var origin = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        if (origin.Host is "0.0.0.0" or "[::]" or "::")
        {
            origin.Host = "127.0.0.1";
        }

        origin.Path = "/";
        (url, error) = (new Uri(origin.Uri, configured), string.Empty);
        return true;
    }
}

using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Jobkore.Web.Security;

/// <summary>
/// Running behind a TLS-terminating proxy (section "ForwardedHeaders" of appsettings.json). With <see cref="Enabled"/>
/// the app takes the scheme, host and client address from the proxy's X-Forwarded-Proto, X-Forwarded-Host and
/// X-Forwarded-For — only when the request comes from a proxy listed here (none listed: a proxy on this machine) —
/// so cookies stay Secure and the redirect URIs sent to Intuit and Microsoft are the public https ones.
/// </summary>
internal sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string SectionName = "ForwardedHeaders";

    public bool Enabled { get; set; }

    /// <summary>Addresses of the proxies to trust, such as 10.0.0.5.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies are in, in CIDR notation, such as 10.0.0.0/8.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>The public host names X-Forwarded-Host may carry (jobkore.example.com, *.example.com); empty: any.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    [Range(1, 10, ErrorMessage = "ForwardedHeaders:ForwardLimit must be between 1 and 10: the number of proxies in front of the app.")]
    public int ForwardLimit { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Invalid(KnownProxies, nameof(KnownProxies), IsWholeAddress, "is not an IP address; write the proxy's whole address, such as 10.0.0.5")
            .Concat(Invalid(KnownNetworks, nameof(KnownNetworks), n => IPNetwork.TryParse(n, out _), "is not a network in CIDR notation, such as 10.0.0.0/8"))
            .Concat(Invalid(AllowedHosts, nameof(AllowedHosts), IsHostAlone,
                "is not a host name; write the host alone, without scheme, path or port, such as jobkore.example.com or *.example.com"));

    /// <summary>IPAddress.TryParse also takes "10" or "10.1" (as 0.0.0.10, 10.0.0.1): an IPv4 address here has its four parts.</summary>
    private static bool IsWholeAddress(string value) =>
        IPAddress.TryParse(value, out var address)
        && (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || value.Split('.').Length == 4);

    /// <summary>The middleware compares X-Forwarded-Host without its port, so an entry with one would never match.</summary>
    private static bool IsHostAlone(string value) =>
        !string.IsNullOrWhiteSpace(value) && !value.Contains('/', StringComparison.Ordinal) && !value.Any(char.IsWhiteSpace)
        && (value.StartsWith('[') ? value.EndsWith(']') : !value.Contains(':', StringComparison.Ordinal));

    /// <summary>
    /// Turns these settings into the middleware's options. Not enabled: the options are left as they are (so the
    /// standard ASPNETCORE_FORWARDEDHEADERS_ENABLED switch still works); no headers are forwarded by default.
    /// </summary>
    public void ApplyTo(ForwardedHeadersOptions options)
    {
        if (!Enabled)
        {
            return;
        }

        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        options.ForwardLimit = ForwardLimit;
        if (KnownProxies.Count > 0 || KnownNetworks.Count > 0)
        {
            // The loopback defaults are for a proxy on this machine; a listed proxy replaces them.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            KnownProxies.ForEach(p => options.KnownProxies.Add(IPAddress.Parse(p)));
            KnownNetworks.ForEach(n => options.KnownIPNetworks.Add(IPNetwork.Parse(n)));
        }

        AllowedHosts.ForEach(options.AllowedHosts.Add);
    }

    private static IEnumerable<ValidationResult> Invalid(List<string> values, string name, Func<string, bool> isValid, string problem) =>
        values.Select((value, index) => (Value: value, Index: index)).Where(v => !isValid(v.Value))
            .Select(v => new ValidationResult($"{SectionName}:{name}:{v.Index} '{v.Value}' {problem}.", [name]));
}

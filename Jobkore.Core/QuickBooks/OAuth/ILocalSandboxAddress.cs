namespace Jobkore.Core.QuickBooks.OAuth;

/// <summary>
/// Where the built-in sandbox answers the app's server-to-server calls: on this process's own loopback address when the
/// app serves it, or at <c>QuickBooks:BuiltInSandbox:Url</c> when it runs in a process of its own.
/// </summary>
public interface ILocalSandboxAddress
{
    /// <summary>The sandbox's base URL, ending in a slash, e.g. <c>http://127.0.0.1:5000/qbo-sandbox/</c>.</summary>
    Uri BaseUrl { get; }

    /// <summary>
    /// True when this app serves the sandbox itself: the consent page is then sent to the browser as a path on the
    /// address it already uses. False: the browser goes to <see cref="BaseUrl"/>, which it must be able to reach.
    /// </summary>
    bool ServedByThisApp { get; }
}

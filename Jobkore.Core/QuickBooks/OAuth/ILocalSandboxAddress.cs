namespace Jobkore.Core.QuickBooks.OAuth;

/// <summary>Where the app's own built-in sandbox answers server-to-server calls (a loopback address of this process).</summary>
public interface ILocalSandboxAddress
{
    /// <summary>The sandbox's base URL, ending in a slash, e.g. <c>http://127.0.0.1:5000/qbo-sandbox/</c>.</summary>
    Uri BaseUrl { get; }
}

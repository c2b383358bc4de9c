using Jobkore.Core.QuickBooks.OAuth;

namespace Jobkore.Web.QuickBooks;

/// <summary>
/// A QuickBooks sandbox in a process of its own, at <c>QuickBooks:BuiltInSandbox:Url</c>: the app calls it there and sends
/// the browser to its consent page there.
/// </summary>
internal sealed class ExternalSandboxAddress(Uri url) : ILocalSandboxAddress
{
    public Uri BaseUrl { get; } = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    public bool ServedByThisApp => false;
}

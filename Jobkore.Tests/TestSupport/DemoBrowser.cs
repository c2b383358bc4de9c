using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;

namespace Jobkore.Tests.TestSupport;

/// <summary>
/// One browser of the demo sign-in, over HTTP: its own cookies, redirects not followed, forms posted with the
/// antiforgery token of the page they are on — the way a person signs in, out and in again.
/// </summary>
internal sealed partial class DemoBrowser(HttpClient client) : IDisposable
{
    public HttpClient Client { get; } = client;

    /// <summary>A browser on an app listening at <paramref name="baseAddress"/> (a real Kestrel port), with a cookie jar of its own.</summary>
    public static DemoBrowser At(Uri baseAddress) =>
        new(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress });

    /// <summary>The antiforgery token of the form on <paramref name="path"/>.</summary>
    public async Task<string> TokenFromAsync(string path)
    {
        var html = await Client.GetStringAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var token = AntiforgeryToken().Match(html);
        token.Success.ShouldBeTrue($"{path} has a form with an antiforgery token");
        return token.Groups[1].Value;
    }

    /// <summary>Posts a form from <paramref name="formPage"/> (whose antiforgery token it carries) to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string formPage, string action, Dictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields["__RequestVerificationToken"] = await TokenFromAsync(formPage);
        return await Client.PostAsync(new Uri(action, UriKind.Relative), new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
    }

    /// <summary>Presses a demo user's button on the sign-in page; returns the answer (a redirect to the return URL).</summary>
    public Task<HttpResponseMessage> SignInAsync(string user = "dana", string? returnUrl = null)
    {
        var fields = new Dictionary<string, string> { ["user"] = user };
        if (returnUrl is not null)
        {
            fields["returnUrl"] = returnUrl;
        }

        return SubmitAsync("/account/signin", "/account/demo-signin", fields);
    }

    /// <summary>Presses Sign out on <paramref name="page"/>; returns the answer.</summary>
    public Task<HttpResponseMessage> SignOutAsync(string page = "/invoices") => SubmitAsync(page, "/account/signout", []);

    /// <summary>
    /// Signs in as <paramref name="user"/> on a client without a cookie jar, carrying the antiforgery cookie by hand:
    /// a Secure cookie is then still sent over plain HTTP, as from a browser behind a TLS-terminating proxy. Returns
    /// every cookie the sign-in page and the sign-in answer set.
    /// </summary>
    public static async Task<IReadOnlyList<SetCookieHeaderValue>> SignInByHandAsync(HttpClient client, string user = "dana")
    {
        ArgumentNullException.ThrowIfNull(client);
        var ct = TestContext.Current.CancellationToken;
        using var page = await client.GetAsync(new Uri("/account/signin", UriKind.Relative), ct);
        var pageCookies = SetCookies(page);
        var token = AntiforgeryToken().Match(await page.Content.ReadAsStringAsync(ct)).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("/account/demo-signin", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = user, ["__RequestVerificationToken"] = token }),
        };
        post.Headers.Add("Cookie", string.Join("; ", pageCookies.Select(c => $"{c.Name}={c.Value}")));
        using var answer = await client.SendAsync(post, ct);
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect, await answer.Content.ReadAsStringAsync(ct));
        return [.. pageCookies, .. SetCookies(answer)];
    }

    /// <summary>The cookies a response sets.</summary>
    public static IReadOnlyList<SetCookieHeaderValue> SetCookies(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. SetCookieHeaderValue.ParseList([.. values])] : [];
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

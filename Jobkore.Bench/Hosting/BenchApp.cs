using System.Net;
using System.Text.RegularExpressions;
using Jobkore.Core.Businesses;
using Jobkore.Core.QuickBooks.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Bench.Hosting;

/// <summary>
/// The real app on a real Kestrel port with its built-in QuickBooks sandbox, so the app and the sandbox talk over
/// loopback HTTP, connected to the sandbox company through the same Connect QuickBooks flow a person clicks through.
/// </summary>
internal sealed partial class BenchApp : IAsyncDisposable
{
    /// <summary>The sandbox's seeded company (Acme Plumbing &amp; Heating).</summary>
    public const string Realm = "9341452713218474";

    private const string Admin = "Bench Admin";
    private readonly BenchAppFactory _factory;

    private BenchApp(IReadOnlyDictionary<string, string?> settings)
    {
        _factory = new BenchAppFactory(settings, services =>
        {
            BenchAuthHandler.AddTo(services);
            services.AddHttpClient(QboApiClientFactory.HttpClientName).AddHttpMessageHandler(Wire.CreateHandler);
        });
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        Business = Services.GetRequiredService<DefaultBusiness>().Profile;
    }

    public IServiceProvider Services => _factory.Services;

    public Uri BaseAddress { get; }

    public BusinessProfile Business { get; }

    /// <summary>QBO API requests on the wire and the 429s among their answers.</summary>
    public WireCounter Wire { get; } = new();

    /// <summary>Starts the app with <paramref name="settings"/> and connects it to the sandbox company.</summary>
    public static async Task<BenchApp> StartConnectedAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var app = new BenchApp(settings);
        try
        {
            await app.ConnectAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    /// <summary>Connect QuickBooks → the sandbox's consent page → choose the company → Intuit's redirect to the callback.</summary>
    private async Task ConnectAsync()
    {
        using var client = new HttpClient(new SignedIn(Business.Id) { InnerHandler = new HttpClientHandler { AllowAutoRedirect = false } }) { BaseAddress = BaseAddress };
        using var start = await client.GetAsync(new Uri("/integrations/quickbooks/connect", UriKind.Relative));
        var authorize = Expect(start, HttpStatusCode.Redirect).Headers.Location!;
        using var page = await client.GetAsync(authorize);
        var consent = await Expect(page, HttpStatusCode.OK).Content.ReadAsStringAsync();

        var form = HiddenInput().Matches(consent).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        form["realmId"] = Realm;
        form["decision"] = "connect";
        using var answer = await client.PostAsync(new Uri("/qbo-sandbox/connect/oauth2", UriKind.Relative), new FormUrlEncodedContent(form));
        var callback = Expect(answer, HttpStatusCode.Redirect).Headers.Location!;
        using var landed = await client.GetAsync(callback);
        var where = Expect(landed, HttpStatusCode.Redirect).Headers.Location!.OriginalString;
        if (where != "/settings/integrations?quickbooks=connected")
        {
            throw new InvalidOperationException($"Connecting QuickBooks ended at {where}.");
        }
    }

    private static HttpResponseMessage Expect(HttpResponseMessage response, HttpStatusCode status) =>
        response.StatusCode == status ? response : throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, not {(int)status}.");

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();

    private sealed class SignedIn(int businessId) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            BenchAuthHandler.SignIn(request, Admin, businessId);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>
/// The sandbox alone on a real Kestrel port (127.0.0.1), mounted at /qbo-sandbox as in the app, with a fake clock,
/// and the steps an app takes to get tokens. One per test class; each test connects its own grant.
/// </summary>
public class SandboxHost : IAsyncLifetime
{
    public const string ClientId = "test-client";
    public const string ClientSecret = "test-secret";
    public const string AcmeRealm = "9341452713218474";
    public const string SecondRealm = "9341452713218475";
    private WebApplication? _app;

    public FakeTimeProvider Time { get; } = new(TestServices.Now);

    public HttpClient Http { get; private set; } = default!;

    public IServiceProvider Services => _app!.Services;

    public const string BasePath = "/qbo-sandbox";

    public string RedirectUri => $"{Http.BaseAddress!.ToString().TrimEnd('/')}/integrations/quickbooks/callback";

    /// <summary>The consent page's URL, as the app sends a browser there.</summary>
    public string AuthorizeUrl(string state = "abc") =>
        $"{BasePath}/connect/oauth2?client_id={ClientId}&response_type=code&scope=com.intuit.quickbooks.accounting%20openid&redirect_uri={Uri.EscapeDataString(RedirectUri)}&state={state}";

    /// <summary>
    /// Extra configuration under "QuickBooks:…" for a test class that needs other limits or lifetimes. Intuit's limits
    /// are on, except the requests a second (lifted, as the clock stands still): set <c>QuickBooks:Limits:RequestsPerSecond</c> to test it.
    /// </summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    /// <summary>Extra services for a test class, registered before the sandbox's own (e.g. a host's tenancy).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Extra endpoints on the sandbox's own host, beside the sandbox (e.g. a webhook receiver at a relative URL).</summary>
    protected virtual void MapEndpoints(WebApplication app)
    {
    }

    public virtual async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Only what the test says: not the appsettings.json the build copies next to the tests.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["QuickBooks:ClientId"] = ClientId, ["QuickBooks:ClientSecret"] = ClientSecret,
            // The fake clock stands still unless a test moves it, so Intuit's second would never pass: a class that
            // tests the per-second limit sets it in its Settings.
            ["QuickBooks:Limits:RequestsPerSecond"] = "1000000",
        });
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<TimeProvider>(Time);
        ConfigureServices(builder.Services);
        builder.Services.AddQuickBooksSandbox(builder.Configuration.GetSection("QuickBooks"));
        _app = builder.Build();
        _app.MapQuickBooksSandbox(BasePath);
        MapEndpoints(_app);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
    }

    public virtual async ValueTask DisposeAsync()
    {
        Http?.Dispose(); // null when the sandbox refused to start
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    public static AuthenticationHeaderValue Basic(string id = ClientId, string secret = ClientSecret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));

    /// <summary>Presses Connect (or Cancel) on the consent page for a company; returns the redirect.</summary>
    public async Task<Uri> DecideAsync(string realmId, string decision = "connect", string state = "s-1", string? redirectUri = null, HttpClient? http = null)
    {
        using var response = await (http ?? Http).PostAsync($"{BasePath}/connect/oauth2", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = ClientId, ["redirect_uri"] = redirectUri ?? RedirectUri, ["state"] = state,
            ["scope"] = "com.intuit.quickbooks.accounting openid", ["realmId"] = realmId, ["decision"] = decision,
        }), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return response.Headers.Location!;
    }

    public static string Param(Uri uri, string name) =>
        Uri.UnescapeDataString(uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == name)[1]);

    public async Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> form, AuthenticationHeaderValue? auth = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{BasePath}/oauth2/v1/tokens/bearer") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = auth ?? Basic();
        request.Headers.Accept.ParseAdd("application/json");
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>A fresh grant for a company: access and refresh token.</summary>
    public async Task<(string Access, string Refresh)> ConnectAsync(string realmId = AcmeRealm, HttpClient? http = null)
    {
        var code = Param(await DecideAsync(realmId, http: http), "code");
        using var response = await TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = RedirectUri });
        var json = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        return (json["access_token"]!.GetValue<string>(), json["refresh_token"]!.GetValue<string>());
    }

    /// <summary>A write to the Accounting API with a requestid of its own, as the app sends every write.</summary>
    public Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> WriteAsync(string access, string realmId, string pathAndQuery, object body) =>
        ApiAsync(access, HttpMethod.Post, realmId, $"{pathAndQuery}{(pathAndQuery.Contains('?', StringComparison.Ordinal) ? '&' : '?')}requestid={Guid.NewGuid():N}", body);

    /// <summary>The id of one of the company's accounts, by name (e.g. the seeded "Services" income account).</summary>
    public async Task<string> AccountIdAsync(string access, string realmId, string name)
    {
        var (_, body, _) = await ApiAsync(access, HttpMethod.Get, realmId, $"query?query={Uri.EscapeDataString($"select * from Account where Name = '{name}'")}");
        return body["QueryResponse"]!["Account"]![0]!["Id"]!.GetValue<string>();
    }

    /// <summary>Calls the Accounting API of a company and returns status and JSON body.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> ApiAsync(string access, HttpMethod method, string realmId, string pathAndQuery, object? body = null, string? textBody = null)
    {
        using var request = new HttpRequestMessage(method, $"{BasePath}/v3/company/{realmId}/{pathAndQuery}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        request.Headers.Accept.ParseAdd("application/json");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: new System.Text.Json.JsonSerializerOptions()); // QBO names, not camelCase
        }
        else if (textBody is not null)
        {
            request.Content = new StringContent(textBody, Encoding.UTF8, "application/text");
        }

        var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, (JsonNode.Parse(text) as JsonObject)!, response);
    }
}

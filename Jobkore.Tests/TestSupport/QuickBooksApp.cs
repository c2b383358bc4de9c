using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobkore.Core.Businesses;
using Jobkore.Core.QuickBooks.OAuth;
using Jobkore.Core.Security;
using Jobkore.QuickBooksSandbox.FaultInjection;
using Jobkore.Web.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jobkore.Tests.TestSupport;

/// <summary>
/// The real app on a real Kestrel port with its built-in QuickBooks sandbox, so the app and the sandbox talk over
/// HTTP. Requests sign in through test headers; the clock is fake when the test asks for one (app and sandbox share it).
/// </summary>
internal sealed partial class QuickBooksApp : IAsyncDisposable
{
    public const string AcmeRealm = "9341452713218474";
    public const string SecondRealm = "9341452713218475";

    private readonly JobkoreAppFactory _factory;

    /// <param name="time">
    /// A fake clock shared by the app and its sandbox, with the requests a second lifted on both sides; null for the real one.
    /// </param>
    /// <param name="settings">Configuration on top of the test defaults.</param>
    /// <param name="beforeQboRequest">Runs before each QBO API request leaves the app.</param>
    /// <param name="afterQboResponse">Runs when each QBO API answer arrives, before the app reads it.</param>
    /// <param name="folder">Start on an earlier app's folder (same database, sandbox and keys), as a restarted process would.</param>
    /// <param name="logs">Receives every log entry the app writes (the levels still follow the app's configuration).</param>
    /// <param name="environmentName">The host environment; outside Development the settings must choose QuickBooks:Environment.</param>
    /// <param name="testServices">Registers test services on top of the app's, e.g. an in-memory telemetry exporter.</param>
    public QuickBooksApp(FakeTimeProvider? time = null, Dictionary<string, string?>? settings = null, Func<HttpRequestMessage, Task>? beforeQboRequest = null,
        Func<HttpResponseMessage, Task>? afterQboResponse = null, string? folder = null, CapturedLogs? logs = null, string environmentName = "Development",
        Action<IServiceCollection>? testServices = null)
    {
        Time = time;
        _factory = new JobkoreAppFactory(folder)
        {
            EnvironmentName = environmentName,
            TestServices = services =>
            {
                TestAuthHandler.AddTo(services);
                if (logs is not null)
                {
                    services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
                }

                if (time is not null)
                {
                    services.AddSingleton<TimeProvider>(time);
                }

                services.AddHttpClient<IntuitOAuthClient>().AddHttpMessageHandler(() => new CountingHandler(TokenRequests));
                if (beforeQboRequest is not null || afterQboResponse is not null)
                {
                    services.AddHttpClient(Jobkore.Core.QuickBooks.Client.QboApiClientFactory.HttpClientName)
                        .AddHttpMessageHandler(() => new HookHandler(beforeQboRequest ?? (_ => Task.CompletedTask), afterQboResponse ?? (_ => Task.CompletedTask)));
                }

                testServices?.Invoke(services);
            },
        };
        if (time is not null)
        {
            // A fake clock stands still unless the test moves it, so Intuit's second would never pass: neither the client
            // nor the sandbox counts requests a second, unless the settings below say otherwise.
            _factory.Settings["QuickBooks:Client:RequestsPerSecond"] = "100000";
            _factory.Settings["QuickBooks:Limits:RequestsPerSecond"] = "1000000";
        }

        foreach (var (key, value) in settings ?? [])
        {
            _factory.Settings[key] = value;
        }

        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        using var scope = Services.CreateScope();
        BusinessId = scope.ServiceProvider.GetRequiredService<DefaultBusiness>().Profile.Id;
    }

    public FakeTimeProvider? Time { get; }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _factory.Services;

    public string Folder => _factory.Folder;

    public int BusinessId { get; }

    /// <summary>Requests the app sent to the token endpoint (code exchanges and refreshes), by grant type.</summary>
    public RequestCounter TokenRequests { get; } = new();

    public SandboxFaults Faults => Services.GetRequiredService<SandboxFaults>();

    /// <summary>A client signed in as <paramref name="user"/> of <paramref name="businessId"/> (the demo business by default); redirects are not followed.</summary>
    public HttpClient Client(string user = "Dana Rivera", bool admin = true, int? businessId = null) =>
        new(new SignedInHandler(user, admin, businessId ?? BusinessId) { InnerHandler = new HttpClientHandler { AllowAutoRedirect = false } }) { BaseAddress = BaseAddress };

    /// <summary>
    /// Clicks Connect QuickBooks, answers the sandbox's consent page for <paramref name="realmId"/> with
    /// <paramref name="decision"/> ("connect" or "cancel"), and follows Intuit's redirect back to the callback.
    /// Returns where the callback sent the browser.
    /// </summary>
    public static async Task<string> ConnectAsync(HttpClient client, string realmId = AcmeRealm, string decision = "connect", Func<string, string>? tamperCallback = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var consent = await StartConnectAsync(client);
        var callback = await DecideAsync(client, consent, realmId, decision);
        return await CallbackAsync(client, tamperCallback is null ? callback : tamperCallback(callback));
    }

    /// <summary>Connect QuickBooks up to the sandbox's consent page; returns the page's HTML.</summary>
    public static async Task<string> StartConnectAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var start = await client.GetAsync(new Uri("/integrations/quickbooks/connect", UriKind.Relative));
        start.StatusCode.ShouldBe(HttpStatusCode.Redirect, await start.Content.ReadAsStringAsync());
        var authorize = start.Headers.Location!;
        authorize.OriginalString.ShouldStartWith("/qbo-sandbox/connect/oauth2?");
        using var page = await client.GetAsync(authorize);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await page.Content.ReadAsStringAsync();
    }

    /// <summary>Submits the consent page; returns the callback URL the sandbox redirects to.</summary>
    public static async Task<string> DecideAsync(HttpClient client, string consentPage, string realmId, string decision)
    {
        ArgumentNullException.ThrowIfNull(client);
        var form = HiddenInput().Matches(consentPage).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        form["realmId"] = realmId;
        form["decision"] = decision;
        using var answer = await client.PostAsync(new Uri("/qbo-sandbox/connect/oauth2", UriKind.Relative), new FormUrlEncodedContent(form));
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect, await answer.Content.ReadAsStringAsync());
        return answer.Headers.Location!.ToString();
    }

    /// <summary>Follows a callback URL; returns where the app sent the browser next.</summary>
    public static async Task<string> CallbackAsync(HttpClient client, string callbackUrl)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri(callbackUrl, UriKind.RelativeOrAbsolute));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>A new app whose demo admin has connected it to Acme through the whole Connect QuickBooks flow.</summary>
    public static async Task<QuickBooksApp> ConnectedAsync(FakeTimeProvider? time = null, Dictionary<string, string?>? settings = null, Func<HttpRequestMessage, Task>? beforeQboRequest = null)
    {
        var app = new QuickBooksApp(time, settings, beforeQboRequest);
        await app.ConnectAcmeAsync();
        return app;
    }

    /// <summary>Connects (again) to Acme as the demo admin and checks it landed connected.</summary>
    public async Task ConnectAcmeAsync()
    {
        using var client = Client();
        (await ConnectAsync(client)).ShouldBe("/settings/integrations?quickbooks=connected");
    }

    /// <summary>A sandbox company's records, from its inspection endpoint: anonymously, or as <paramref name="client"/>'s user (outside Development).</summary>
    public async Task<JsonObject> SandboxAsync(string realmId = AcmeRealm, HttpClient? client = null)
    {
        using var anonymous = new HttpClient { BaseAddress = BaseAddress };
        return JsonNode.Parse(await (client ?? anonymous).GetStringAsync(new Uri($"/qbo-sandbox/_sandbox/companies/{realmId}", UriKind.Relative)))!.AsObject();
    }

    /// <summary>
    /// A change made in the sandbox "as a QuickBooks user" (a bookkeeper at QuickBooks' screens): <paramref name="change"/>
    /// is e.g. "invoice/12/update" with the fields to set, "invoice/12/void", "customer/3/merge?into=5". Returns the changed record.
    /// </summary>
    public async Task<JsonObject> AsQuickBooksUserAsync(string change, JsonObject? body = null, string realmId = AcmeRealm)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var content = new StringContent((body ?? []).ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"/qbo-sandbox/_sandbox/companies/{realmId}/user/{change}", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The realm ids a consent page offers, in order.</summary>
    public static IReadOnlyList<string> OfferedRealms(string consentPage) => [.. RealmInput().Matches(consentPage).Select(m => m.Groups[1].Value)];

    /// <summary>The records of one entity in a <see cref="SandboxAsync"/> snapshot.</summary>
    public static List<JsonObject> Rows(JsonObject company, string entity)
    {
        ArgumentNullException.ThrowIfNull(company);
        return [.. company[entity]!.AsArray().Select(n => n!.AsObject())];
    }

    /// <summary>A DI scope signed in as an admin of the demo business (or <paramref name="businessId"/>), for calling Core services directly.</summary>
    public AsyncServiceScope SignedInScope(string user = "Dana Rivera", bool admin = true, int? businessId = null)
    {
        var scope = Services.CreateAsyncScope();
        List<Claim> claims = [new(ClaimTypes.Name, user), new(ClaimTypes.NameIdentifier, user),
            new(JobkoreClaimTypes.BusinessId, (businessId ?? BusinessId).ToString(CultureInfo.InvariantCulture))];
        if (admin)
        {
            claims.Add(new Claim(ClaimTypes.Role, Roles.Admin));
        }

        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(new ClaimsPrincipal(new ClaimsIdentity(claims, TestAuthHandler.SchemeName)));
        return scope;
    }

    /// <summary>Adds another business to the app's database, for isolation tests; returns its id.</summary>
    public async Task<int> AddBusinessAsync(string name)
    {
        await using var scope = Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Jobkore.Core.Data.JobkoreDbContext>>().CreateDbContextAsync();
        var business = new Jobkore.Core.Domain.Business(name, "USD", "America/New_York", (Time ?? TimeProvider.System).GetUtcNow());
        db.Businesses.Add(business);
        await db.SaveChangesAsync();
        return business.Id;
    }

    /// <summary>The headers that sign a browser or client in as <paramref name="user"/> of <paramref name="businessId"/>.</summary>
    public static Dictionary<string, string> SignInHeaders(string user, bool admin, int businessId) => new()
    {
        [TestAuthHandler.UserHeader] = user,
        [TestAuthHandler.RoleHeader] = admin ? Roles.Admin : "Staff",
        [TestAuthHandler.BusinessHeader] = businessId.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Stops the app. On a fake clock, what still waits on it while the host stops — a retry's delay in the resilience
    /// pipeline, which on disposal waits on the same clock for the requests in flight — would wait forever, so a
    /// disposal not done within seconds moves the clock on until it is.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        using var stopped = new CancellationTokenSource();
        var moving = Time is null ? Task.CompletedTask : MoveClockOnAsync(Time, stopped.Token);
        try
        {
            await _factory.DisposeAsync();
        }
        finally
        {
            await stopped.CancelAsync();
            await moving;
        }
    }

    private static async Task MoveClockOnAsync(FakeTimeProvider time, CancellationToken stopped)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), stopped);
            while (true)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(TimeSpan.FromMilliseconds(20), stopped);
            }
        }
        catch (OperationCanceledException) when (stopped.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<input type=\"radio\" name=\"realmId\" value=\"([0-9]+)\"")]
    private static partial Regex RealmInput();

    /// <summary>Runs a test's action just before a QBO API request leaves, e.g. to edit a record while its push is in flight.</summary>
    private sealed class HookHandler(Func<HttpRequestMessage, Task> before, Func<HttpResponseMessage, Task> after) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await before(request);
            var response = await base.SendAsync(request, cancellationToken);
            await after(response);
            return response;
        }
    }

    private sealed class SignedInHandler(string user, bool admin, int businessId) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            TestAuthHandler.SignIn(request, user, admin, businessId);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Counts the token requests the app sends, by <c>grant_type</c>.</summary>
    internal sealed class RequestCounter
    {
        private int _refreshes;
        private int _exchanges;

        public int Refreshes => Volatile.Read(ref _refreshes);

        public int Exchanges => Volatile.Read(ref _exchanges);

        internal void Count(string grantType)
        {
            if (grantType == "refresh_token")
            {
                Interlocked.Increment(ref _refreshes);
            }
            else if (grantType == "authorization_code")
            {
                Interlocked.Increment(ref _exchanges);
            }
        }
    }

    private sealed class CountingHandler(RequestCounter counter) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is FormUrlEncodedContent form)
            {
                var body = await form.ReadAsStringAsync(cancellationToken);
                var grant = body.Split('&').Select(p => p.Split('=')).FirstOrDefault(p => p[0] == "grant_type")?.ElementAtOrDefault(1);
                counter.Count(grant ?? string.Empty);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}

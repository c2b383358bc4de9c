using System.Net;
using System.Text.RegularExpressions;
using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Bench.Hosting;

/// <summary>
/// The real app on a real Kestrel port, and the QuickBooks sandbox in a process of its own (<see cref="SandboxProcess"/>),
/// so the two talk over loopback HTTP and this process's memory is the app's. Businesses connect to sandbox companies
/// through the same Connect QuickBooks flow a person clicks through.
/// </summary>
internal sealed partial class BenchApp : IAsyncDisposable
{
    /// <summary>The sandbox's seeded company (Acme Plumbing &amp; Heating).</summary>
    public const string Realm = "9341452713218474";

    /// <summary>The sandbox's second seeded company (Sandbox Company US 2); the extra companies' realm ids follow it.</summary>
    public const string SecondRealm = "9341452713218475";

    private const string Admin = "Bench Admin";

    /// <summary>The app's callback, registered with the sandbox: on 127.0.0.1 it matches any port (RFC 8252 §7.3), so the app's free port needs no registering.</summary>
    private const string Callback = "http://127.0.0.1/integrations/quickbooks/callback";

    private readonly string _folder;
    private readonly BenchDatabase _database;
    private readonly SandboxProcess _sandbox;
    private readonly BenchAppFactory _factory;

    private BenchApp(string folder, BenchDatabase database, SandboxProcess sandbox, IReadOnlyDictionary<string, string?> settings)
    {
        _folder = folder;
        _database = database;
        _sandbox = sandbox;
        _factory = new BenchAppFactory(folder, sandbox.BaseUrl, database.Settings.Concat(settings), services =>
        {
            BenchAuthHandler.AddTo(services);
            services.AddHttpClient(QboApiClientFactory.HttpClientName).AddHttpMessageHandler(Wire.CreateHandler);
        });
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        Business = Services.GetRequiredService<DefaultBusiness>().Profile;
    }

    public IServiceProvider Services => _factory.Services;

    public Uri BaseAddress { get; }

    /// <summary>The business created in the empty database.</summary>
    public BusinessProfile Business { get; }

    /// <summary>QBO API requests on the wire and the 429s among their answers.</summary>
    public WireCounter Wire { get; } = new();

    /// <summary>The realm id of the sandbox's extra company <paramref name="index"/> (QuickBooks:ExtraCompanies; 0 for the first).</summary>
    public static string ExtraRealm(int index) => (long.Parse(SecondRealm, System.Globalization.CultureInfo.InvariantCulture) + 1 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Creates the app's empty database (<see cref="BenchSettings.Database"/>), starts the sandbox process, then the app using both, each with its part of <paramref name="settings"/>.</summary>
    public static async Task<BenchApp> StartAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("jobkore-bench-").FullName;
        BenchDatabase? database = null;
        SandboxProcess? sandbox = null;
        try
        {
            database = await BenchDatabase.CreateAsync(settings.Database, folder, cancellationToken);
            var sandboxSettings = new Dictionary<string, string?>(settings.Sandbox)
            {
                ["QuickBooks:DatabasePath"] = Path.Combine(folder, "qbo-sandbox.db"),
                ["QuickBooks:RedirectUris:0"] = Callback,
                ["Logging:LogLevel:Default"] = "Warning",
            };
            sandbox = await SandboxProcess.StartAsync(sandboxSettings, cancellationToken);
            return new BenchApp(folder, database, sandbox, settings.App);
        }
        catch
        {
            if (sandbox is not null)
            {
                await sandbox.DisposeAsync();
            }

            if (database is not null)
            {
                await database.DisposeAsync();
            }

            DeleteFolder(folder);
            throw;
        }
    }

    /// <summary>Starts the app and connects its business to the sandbox's Acme company.</summary>
    public static async Task<BenchApp> StartConnectedAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var app = await StartAsync(settings, cancellationToken);
        try
        {
            await app.ConnectAsync(app.Business, Realm);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds a business to the app's database, as a new customer of Jobkore would get.</summary>
    public async Task<BusinessProfile> AddBusinessAsync(string name, CancellationToken cancellationToken)
    {
        await using var scope = Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(cancellationToken);
        var business = new Business(name, "USD", "America/Chicago", TimeProvider.System.GetUtcNow());
        db.Businesses.Add(business);
        await db.SaveChangesAsync(cancellationToken);
        return scope.ServiceProvider.GetRequiredService<BusinessDirectory>().Find(business.Id)!;
    }

    /// <summary>
    /// As <paramref name="business"/>'s admin: Connect QuickBooks → the sandbox's consent page (on the sandbox's own
    /// address) → choose <paramref name="realmId"/> → Intuit's redirect back to the app's callback.
    /// </summary>
    public async Task ConnectAsync(BusinessProfile business, string realmId)
    {
        using var client = new HttpClient(new SignedIn(business.Id) { InnerHandler = new HttpClientHandler { AllowAutoRedirect = false } }) { BaseAddress = BaseAddress };
        using var start = await client.GetAsync(new Uri("/integrations/quickbooks/connect", UriKind.Relative));
        var authorize = new Uri(BaseAddress, Expect(start, HttpStatusCode.Redirect).Headers.Location!);
        using var page = await client.GetAsync(authorize);
        var consent = await Expect(page, HttpStatusCode.OK).Content.ReadAsStringAsync();

        var form = HiddenInput().Matches(consent).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        form["realmId"] = realmId;
        form["decision"] = "connect";
        var action = new Uri(authorize, WebUtility.HtmlDecode(FormAction().Match(consent).Groups[1].Value));
        using var answer = await client.PostAsync(action, new FormUrlEncodedContent(form));
        var callback = Expect(answer, HttpStatusCode.Redirect).Headers.Location!;
        using var landed = await client.GetAsync(callback);
        var where = Expect(landed, HttpStatusCode.Redirect).Headers.Location!.OriginalString;
        if (where != "/settings/integrations?quickbooks=connected")
        {
            throw new InvalidOperationException($"Connecting {business.Name} to QuickBooks company {realmId} ended at {where}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _sandbox.DisposeAsync();
        await _database.DisposeAsync();
        DeleteFolder(_folder);
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder if a file is still held open.
        }
    }

    private static HttpResponseMessage Expect(HttpResponseMessage response, HttpStatusCode status) =>
        response.StatusCode == status ? response : throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, not {(int)status}.");

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\">")]
    private static partial Regex FormAction();

    private sealed class SignedIn(int businessId) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            BenchAuthHandler.SignIn(request, Admin, businessId);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

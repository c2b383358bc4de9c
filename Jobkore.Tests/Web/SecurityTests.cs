using System.Text.RegularExpressions;
using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.Sync;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Web;

/// <summary>Response headers on every kind of response, and no secret in any log line of a connect, a full sync and a disconnect.</summary>
public sealed partial class SecurityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/invoices", true)]
    [InlineData("/settings/integrations", true)]
    [InlineData("/account/signin", true)]
    [InlineData("/not-a-page", false)]
    [InlineData("/favicon.png", false)]
    [InlineData("/qbo-sandbox/.well-known/openid_sandbox_configuration", false)]
    public async Task EveryResponse_CarriesTheSecurityHeaders_AndPagesAllowOnlyTheirOwnImportMap(string path, bool isPage)
    {
        await using var app = new QuickBooksApp();
        using var client = app.Client();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        var csp = response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem();
        csp.ShouldContain("default-src 'self'");
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldContain("object-src 'none'");
        csp.ShouldContain("base-uri 'self'");
        csp.ShouldNotContain("unsafe-eval");
        Regex.Match(csp, "script-src ([^;]+)").Groups[1].Value.ShouldNotContain("unsafe-inline");
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        if (isPage)
        {
            var body = await response.Content.ReadAsStringAsync(Ct);
            var nonce = Nonce().Match(csp).Groups[1].Value;
            nonce.Length.ShouldBeGreaterThanOrEqualTo(22);
            body.ShouldContain($"<script type=\"importmap\" nonce=\"{nonce}\">");
            Regex.Matches(body, "<script(?![^>]*\\bsrc=)(?![^>]*nonce=\"" + Regex.Escape(nonce) + "\")[^>]*>").ShouldBeEmpty("every inline script carries the nonce");
        }
    }

    /// <summary>Every routable page (ids filled in), every QuickBooks OAuth endpoint and the account pages, as a signed-in admin.</summary>
    public static TheoryData<string> SignedInPagesAndOAuthEndpoints()
    {
        var pages = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(Microsoft.AspNetCore.Components.RouteAttribute), inherit: false).Cast<Microsoft.AspNetCore.Components.RouteAttribute>())
            .Select(r => RouteParameter().Replace(r.Template, "1"))
            .Where(p => p != "/not-found" && p != "/error");
        return [.. pages.Concat([
            "/integrations/quickbooks/connect",
            "/integrations/quickbooks/callback?code=c&state=forged&realmId=9341452713218474",
            "/integrations/quickbooks/callback?error=access_denied&state=forged",
            "/integrations/quickbooks/launch",
        ]).Distinct().Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(SignedInPagesAndOAuthEndpoints))]
    public async Task SignedInPageOrOAuthEndpoint_IsNeverStoredByABrowserOrProxy(string path)
    {
        await using var app = new QuickBooksApp();
        using var client = app.Client();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        ((int)response.StatusCode).ShouldBeLessThan(400, $"{path} answered {(int)response.StatusCode}");
        var cacheControl = response.Headers.CacheControl.ShouldNotBeNull($"{path} has no Cache-Control");
        cacheControl.NoStore.ShouldBeTrue($"{path}: Cache-Control: {cacheControl}");
        cacheControl.NoCache.ShouldBeTrue($"{path}: Cache-Control: {cacheControl}");
    }

    [Fact]
    public async Task StaticAsset_KeepsItsOwnCaching()
    {
        await using var app = new QuickBooksApp();
        using var client = app.Client();

        using var response = await client.GetAsync(new Uri("/favicon.png", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        response.Headers.CacheControl.ShouldNotBeNull().NoStore.ShouldBeFalse();
        response.Headers.ETag.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("/invoices", true)]
    [InlineData("/account/signin", false)]
    [InlineData("/integrations/quickbooks/callback?code=c&state=s", true)]
    [InlineData("/qbo-sandbox/.well-known/openid_sandbox_configuration", false)]
    public async Task TraceRequest_IsRefused_AndNothingOfItIsEchoed(string path, bool signedIn)
    {
        await using var app = new QuickBooksApp();
        using var client = signedIn ? app.Client() : new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Trace, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Echo-Probe", "probe-7f3a91");
        request.Headers.Add("Cookie", "Jobkore.Auth=cookie-probe-5c2e");

        using var response = await client.SendAsync(request, Ct);

        response.StatusCode.ShouldBeOneOf(System.Net.HttpStatusCode.MethodNotAllowed, System.Net.HttpStatusCode.NotFound);
        var body = await response.Content.ReadAsStringAsync(Ct);
        body.ShouldNotContain("probe-7f3a91");
        body.ShouldNotContain("cookie-probe-5c2e");
        body.ShouldNotContain("X-Echo-Probe", Case.Insensitive);
        response.Content.Headers.ContentType?.MediaType.ShouldNotBe("message/http");
    }

    [Fact]
    public async Task TwoRequests_GetTwoDifferentNonces()
    {
        await using var app = new QuickBooksApp();
        using var client = app.Client();

        using var first = await client.GetAsync(new Uri("/invoices", UriKind.Relative), Ct);
        using var second = await client.GetAsync(new Uri("/invoices", UriKind.Relative), Ct);

        Nonce().Match(first.Headers.GetValues("Content-Security-Policy").Single()).Groups[1].Value
            .ShouldNotBe(Nonce().Match(second.Headers.GetValues("Content-Security-Policy").Single()).Groups[1].Value);
    }

    [Fact]
    public async Task LogsOfAConnectAFullSyncAndADisconnect_HoldNoTokenCodeOrClientSecret_AtAnyLevel()
    {
        var logs = new CapturedLogs();
        await using var app = LoggingEverything(logs);
        using var client = app.Client();
        string? code = null;

        (await QuickBooksApp.ConnectAsync(client, tamperCallback: callback =>
        {
            code = Regex.Match(callback, "[?&]code=([^&]+)").Groups[1].Value;
            return callback;
        })).ShouldBe("/settings/integrations?quickbooks=connected");
        var secrets = new List<string> { code.ShouldNotBeNull(), Jobkore.QuickBooksSandbox.QuickBooksSandboxOptions.DemoClientSecret };
        secrets.AddRange(await StoredTokensAsync(app));

        var run = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
        run.Summary.Synced.ShouldBeGreaterThan(40);
        secrets.AddRange(await StoredTokensAsync(app));
        await using (var scope = app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().DisconnectAsync(keepMappings: true, Ct)).RevokedAtIntuit.ShouldBeTrue();
        }

        logs.Entries.Count.ShouldBeGreaterThan(500, "Trace level captures the whole conversation");
        var leaks = logs.Entries.SelectMany(entry => secrets.Where(s => entry.Contains(s, StringComparison.Ordinal)).Select(s => $"{s[..4]}… in: {entry[..Math.Min(entry.Length, 300)]}")).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"Scanned {logs.Entries.Count} log entries for {secrets.Distinct().Count()} secrets: {leaks.Count} found.");
        leaks.ShouldBeEmpty();
    }

    [Fact]
    public async Task LogsOfAFullSyncAtTrace_HoldNoQuickBooksData_OnlyIdsAndIntuitTids()
    {
        var logs = new CapturedLogs();
        await using var app = LoggingEverything(logs);
        using var client = app.Client();
        (await QuickBooksApp.ConnectAsync(client)).ShouldBe("/settings/integrations?quickbooks=connected");

        var run = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        run.Summary.Synced.ShouldBeGreaterThan(40);
        var data = await QuickBooksDataAsync(app);
        var books = (await app.SandboxAsync()).ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        data.Count(value => value.IsMatch(books)).ShouldBeGreaterThan(100, "the values looked for are what QuickBooks received");
        logs.Entries.Count.ShouldBeGreaterThan(500, "Trace level captures the whole conversation");
        var leaks = logs.Entries
            .SelectMany(entry => data.Where(value => value.IsMatch(entry)).Select(value => $"{value} in: {entry[..Math.Min(entry.Length, 400)]}"))
            .ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"Scanned {logs.Entries.Count} log entries for {data.Count} values: {leaks.Count} found.");
        leaks.Take(20).ShouldBeEmpty();
        logs.Entries.ShouldContain(entry => entry.Contains("intuit_tid", StringComparison.Ordinal), "what is logged about QuickBooks carries Intuit's transaction ids");
    }

    /// <summary>
    /// What the demo business sends QuickBooks, as patterns: names, company names, emails, phones and street addresses of
    /// its clients (also as they travel in a query string), invoice memos, line descriptions and amounts, payment references.
    /// </summary>
    private static async Task<List<Regex>> QuickBooksDataAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var clients = await db.Clients.AsNoTracking().ToListAsync(Ct);
        var invoices = await db.Invoices.AsNoTracking().Include(i => i.Lines).ToListAsync(Ct);
        var payments = await db.Payments.AsNoTracking().ToListAsync(Ct);
        var texts = clients.SelectMany(c => new[] { c.DisplayName, c.CompanyName, c.Email, c.Phone, c.BillingAddress.Line1 })
            .Concat(invoices.Select(i => i.Memo))
            .Concat(invoices.SelectMany(i => i.Lines).Select(l => l.Description))
            .Concat(payments.Select(p => p.Reference))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .SelectMany(t => new[] { t, Uri.EscapeDataString(t), System.Net.WebUtility.UrlEncode(t), t.Replace("'", "''", StringComparison.Ordinal) })
            .Distinct(StringComparer.Ordinal)
            .Select(t => new Regex(Regex.Escape(t), RegexOptions.CultureInvariant));

        // Amounts of 100 or more, with or without a thousands separator, not as part of a longer number (a duration in ms).
        var amounts = invoices.Select(i => i.Total).Concat(payments.Select(p => p.Amount)).Where(a => a >= 100).Distinct()
            .Select(a => new Regex($@"(?<![\d.,]){Grouped(decimal.Truncate(a))}\.{(int)(a % 1 * 100):00}(?!\d)", RegexOptions.CultureInvariant));
        return [.. texts, .. amounts];
    }

    /// <summary>The app with every category at Trace, into <paramref name="logs"/>.</summary>
    private static QuickBooksApp LoggingEverything(CapturedLogs logs) => new(settings: new()
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
        ["Logging:LogLevel:System.Net.Http"] = "Trace",
    }, logs: logs);

    /// <summary>1460 as "1,?460": written with or without a thousands separator.</summary>
    private static string Grouped(decimal whole)
    {
        var digits = whole.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return digits.Length > 3 ? $"{digits[..^3]},?{digits[^3..]}" : digits;
    }

    /// <summary>The access and refresh tokens the app holds right now, decrypted.</summary>
    private static async Task<string[]> StoredTokensAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var stored = await db.QuickBooksConnections.AsNoTracking().SingleAsync(Ct);
        var protector = scope.ServiceProvider.GetRequiredService<QboTokenProtector>();
        return [protector.Unprotect(stored.ProtectedAccessToken), protector.Unprotect(stored.ProtectedRefreshToken)];
    }

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex Nonce();

    [GeneratedRegex("{[^}]+}")]
    private static partial Regex RouteParameter();
}

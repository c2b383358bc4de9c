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
        await using var app = new QuickBooksApp(settings: new() { ["Logging:LogLevel:Default"] = "Trace", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace", ["Logging:LogLevel:System.Net.Http"] = "Trace" }, logs: logs);
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
}

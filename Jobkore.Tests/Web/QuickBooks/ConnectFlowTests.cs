using System.Net;
using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Web.QuickBooks;

/// <summary>Connect QuickBooks end to end: the app and its built-in sandbox over real HTTP, as a browser would go.</summary>
public sealed class ConnectFlowTests : IAsyncLifetime
{
    private QuickBooksApp _app = default!;

    public ValueTask InitializeAsync()
    {
        _app = new QuickBooksApp();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<QuickBooksConnectionView?> ConnectionAsync()
    {
        await using var scope = _app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().GetAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Connect_AdminAllowsAccessToAcme_StoresTheConnectionAndLandsOnIntegrationsConnected()
    {
        using var client = _app.Client();

        var landing = await QuickBooksApp.ConnectAsync(client);

        landing.ShouldBe("/settings/integrations?quickbooks=connected");
        var connection = (await ConnectionAsync()).ShouldNotBeNull();
        connection.Status.ShouldBe(QuickBooksConnectionStatus.Connected);
        connection.CompanyName.ShouldBe("Acme Plumbing & Heating LLC");
        connection.RealmId.ShouldBe(QuickBooksApp.AcmeRealm);
        connection.Environment.ShouldBe(QuickBooksEnvironment.BuiltInSandbox);
        connection.ConnectedBy.ShouldBe("Dana Rivera");
        connection.LastSyncedAt.ShouldBeNull();
        _app.TokenRequests.Exchanges.ShouldBe(1);

        var page = await client.GetStringAsync(new Uri("/settings/integrations", UriKind.Relative), TestContext.Current.CancellationToken);
        page.ShouldContain("Acme Plumbing &amp; Heating LLC");
        page.ShouldContain("Last sync: Never");
    }

    [Fact]
    public async Task Connect_WithTheStoredTokens_CallsTheCompanysApi()
    {
        using var client = _app.Client();
        await QuickBooksApp.ConnectAsync(client, QuickBooksApp.SecondRealm);

        await using var scope = _app.SignedInScope();
        var company = await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().GetCompanyAsync(CancellationToken.None);
        var info = await scope.ServiceProvider.GetRequiredService<QboApiClient>().GetCompanyInfoAsync(company, CancellationToken.None);

        info.CompanyInfo!.CompanyName.ShouldBe("Sandbox Company US 2");
    }

    [Fact]
    public async Task Connect_UserDeclinesOnIntuitsPage_LandsWithDeclinedAndStoresNothing()
    {
        using var client = _app.Client();

        var landing = await QuickBooksApp.ConnectAsync(client, decision: "cancel");

        landing.ShouldBe("/settings/integrations?quickbooks=declined");
        (await ConnectionAsync()).ShouldBeNull();
        _app.TokenRequests.Exchanges.ShouldBe(0);
        var page = await client.GetStringAsync(new Uri(landing, UriKind.Relative), TestContext.Current.CancellationToken);
        page.ShouldContain("access was not allowed on QuickBooks&#x27; page. Nothing was stored.");
    }

    [Fact]
    public async Task Callback_ReplayedAfterConnecting_IsRefusedAndExchangesNoSecondCode()
    {
        using var client = _app.Client();
        var consent = await QuickBooksApp.StartConnectAsync(client);
        var callback = await QuickBooksApp.DecideAsync(client, consent, QuickBooksApp.AcmeRealm, "connect");
        (await QuickBooksApp.CallbackAsync(client, callback)).ShouldBe("/settings/integrations?quickbooks=connected");

        var replay = await QuickBooksApp.CallbackAsync(client, callback);

        replay.ShouldBe("/settings/integrations?quickbooks=invalid-state");
        _app.TokenRequests.Exchanges.ShouldBe(1);
    }

    [Theory]
    [InlineData("another admin of the same business")]
    [InlineData("an admin of another business")]
    public async Task Callback_FollowedBySomeoneElseThanWhoStarted_IsRefusedAndStoresNothing(string who)
    {
        using var dana = _app.Client();
        var consent = await QuickBooksApp.StartConnectAsync(dana);
        var callback = await QuickBooksApp.DecideAsync(dana, consent, QuickBooksApp.AcmeRealm, "connect");
        int otherBusiness;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            otherBusiness = (await scope.ServiceProvider.GetRequiredService<BusinessDirectory>()
                .FindOrCreateForTenantAsync("other-tenant", "Other Plumbing", "USD", "America/New_York", CancellationToken.None)).Id;
        }

        using var someoneElse = who.Contains("another business", StringComparison.Ordinal)
            ? _app.Client("Olga Other", admin: true, businessId: otherBusiness)
            : _app.Client("Sam Second", admin: true);

        (await QuickBooksApp.CallbackAsync(someoneElse, callback)).ShouldBe("/settings/integrations?quickbooks=invalid-state");

        (await ConnectionAsync()).ShouldBeNull();
        _app.TokenRequests.Exchanges.ShouldBe(0);
    }

    [Theory]
    [InlineData("made-up-state")]
    [InlineData("")]
    public async Task Callback_WithAStateThisAppNeverIssued_IsRefused(string state)
    {
        using var client = _app.Client();

        var landing = await QuickBooksApp.ConnectAsync(client, tamperCallback: url => System.Text.RegularExpressions.Regex.Replace(url, "state=[^&]*", "state=" + state));

        landing.ShouldBe("/settings/integrations?quickbooks=invalid-state");
        (await ConnectionAsync()).ShouldBeNull();
        _app.TokenRequests.Exchanges.ShouldBe(0);
    }

    [Fact]
    public async Task Connect_StartedByStaff_IsForbidden()
    {
        using var staff = _app.Client("Sam Staff", admin: false);

        using var response = await staff.GetAsync(new Uri("/integrations/quickbooks/connect", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            response.Headers.Location!.OriginalString.ShouldNotContain("qbo-sandbox");
        }
    }

    [Fact]
    public async Task Disconnect_KeepingMappings_RevokesAtIntuitAndReconnectingTheSameCompanyKeepsThem()
    {
        using var client = _app.Client();
        await QuickBooksApp.ConnectAsync(client);
        await AddMappingAsync(QuickBooksApp.AcmeRealm);
        var oldRefreshToken = await StoredRefreshTokenAsync();

        await using (var scope = _app.SignedInScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().DisconnectAsync(keepMappings: true, CancellationToken.None);
            result.RevokedAtIntuit.ShouldBeTrue();
        }

        var disconnected = (await ConnectionAsync()).ShouldNotBeNull();
        disconnected.Status.ShouldBe(QuickBooksConnectionStatus.Disconnected);
        disconnected.HasKeptMappings.ShouldBeTrue();
        (await RefreshAtSandboxAsync(oldRefreshToken)).ShouldBe("invalid_grant");

        (await QuickBooksApp.ConnectAsync(client)).ShouldBe("/settings/integrations?quickbooks=connected");
        (await ConnectionAsync())!.Status.ShouldBe(QuickBooksConnectionStatus.Connected);
        (await MappingsAsync()).ShouldBe([QuickBooksApp.AcmeRealm]);
    }

    [Fact]
    public async Task Disconnect_InJobkore_PostsTheRefreshTokenToIntuitsRevokeEndpoint_AndTheGrantStopsWorking()
    {
        var logs = new CapturedLogs();
        await using var app = new QuickBooksApp(settings: new() { ["Logging:LogLevel:System.Net.Http"] = "Information" }, logs: logs);
        using var client = app.Client();
        await QuickBooksApp.ConnectAsync(client);
        string accessToken;
        await using (var scope = app.SignedInScope())
        {
            accessToken = await scope.ServiceProvider.GetRequiredService<IQboAccessTokens>().GetAccessTokenAsync(QuickBooksApp.AcmeRealm, null, CancellationToken.None);
        }

        var refreshToken = await StoredRefreshTokenAsync(app);

        await using (var scope = app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().DisconnectAsync(keepMappings: false, CancellationToken.None)).RevokedAtIntuit.ShouldBeTrue();
        }

        var revokeUrl = new Uri(app.BaseAddress, "/qbo-sandbox/v2/oauth2/tokens/revoke").ToString();
        logs.Entries.ShouldContain(e => e.Contains($"IntuitOAuthClient.LogicalHandler: Start processing HTTP request POST {revokeUrl}", StringComparison.Ordinal));
        logs.Entries.ShouldContain(e => e.Contains("IntuitOAuthClient.LogicalHandler: End processing HTTP request", StringComparison.Ordinal) && e.Contains("StatusCode=200", StringComparison.Ordinal));
        (await RefreshAtSandboxAsync(app, refreshToken)).ShouldBe("invalid_grant");
        using var api = new HttpClient { BaseAddress = app.BaseAddress };
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/qbo-sandbox/v3/company/{QuickBooksApp.AcmeRealm}/companyinfo/{QuickBooksApp.AcmeRealm}?minorversion=75");
        read.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        using var refused = await api.SendAsync(read, TestContext.Current.CancellationToken);
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Callback_WhenSomethingUnexpectedBreaksWhileConnecting_StillAnswersWithARedirect()
    {
        var broken = false;
        await using var app = new QuickBooksApp(beforeQboRequest: _ => broken ? throw new InvalidOperationException("A bug while reading CompanyInfo.") : Task.CompletedTask);
        using var client = app.Client();
        var consent = await QuickBooksApp.StartConnectAsync(client);
        var callback = await QuickBooksApp.DecideAsync(client, consent, QuickBooksApp.AcmeRealm, "connect");
        broken = true;

        using var response = await client.GetAsync(new Uri(callback, UriKind.RelativeOrAbsolute), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/settings/integrations?quickbooks=failed");
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("error=access_denied&error_description=User+denied", true, "/settings/integrations?quickbooks=declined")]
    [InlineData("error=access_denied", false, "/settings/integrations?quickbooks=invalid-state")]
    [InlineData("code=c&state=made-up&realmId=9341452713218474", false, "/settings/integrations?quickbooks=invalid-state")]
    [InlineData("", false, "/settings/integrations?quickbooks=invalid-state")]
    [InlineData("code=c&realmId=not-a-realm", true, "/settings/integrations?quickbooks=failed")]
    public async Task Callback_WhateverItCarries_AnswersWithARedirectNeverAPage(string query, bool withItsState, string expected)
    {
        using var client = _app.Client();
        var state = string.Empty;
        if (withItsState)
        {
            var consent = await QuickBooksApp.StartConnectAsync(client);
            state = "&state=" + System.Text.RegularExpressions.Regex.Match(consent, "name=\"state\" value=\"([^\"]+)\"").Groups[1].Value;
        }

        using var response = await client.GetAsync(new Uri($"/integrations/quickbooks/callback?{query}{state}", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe(expected);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
        _app.TokenRequests.Exchanges.ShouldBe(0);
    }

    [Fact]
    public async Task Connect_ADifferentCompanyWhileAnotherCompanysMappingsAreKept_IsRefusedUntilTheyAreCleared()
    {
        using var client = _app.Client();
        await QuickBooksApp.ConnectAsync(client);
        await AddMappingAsync(QuickBooksApp.AcmeRealm);
        await using (var scope = _app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().DisconnectAsync(keepMappings: true, CancellationToken.None);
        }

        var refused = await QuickBooksApp.ConnectAsync(client, QuickBooksApp.SecondRealm);

        refused.ShouldBe("/settings/integrations?quickbooks=other-company");
        var kept = (await ConnectionAsync()).ShouldNotBeNull();
        (kept.Status, kept.RealmId).ShouldBe((QuickBooksConnectionStatus.Disconnected, QuickBooksApp.AcmeRealm));
        var page = await client.GetStringAsync(new Uri(refused, UriKind.Relative), TestContext.Current.CancellationToken);
        page.ShouldContain("one whose links Jobkore kept (Acme Plumbing &amp; Heating LLC)");

        await using (var scope = _app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().DisconnectAsync(keepMappings: false, CancellationToken.None);
        }

        (await MappingsAsync()).ShouldBeEmpty();
        (await QuickBooksApp.ConnectAsync(client, QuickBooksApp.SecondRealm)).ShouldBe("/settings/integrations?quickbooks=connected");
        (await ConnectionAsync())!.CompanyName.ShouldBe("Sandbox Company US 2");
    }

    [Fact]
    public async Task StoredTokens_AreNotInTheDatabaseFileInPlainText_AndARestartedAppCanStillReadThem()
    {
        using var client = _app.Client();
        await QuickBooksApp.ConnectAsync(client);
        string accessToken;
        await using (var scope = _app.SignedInScope())
        {
            accessToken = await scope.ServiceProvider.GetRequiredService<IQboAccessTokens>().GetAccessTokenAsync(QuickBooksApp.AcmeRealm, null, CancellationToken.None);
        }

        var refreshToken = await StoredRefreshTokenAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var raw = string.Concat(Directory.GetFiles(_app.Folder, "jobkore.db*").Select(f => System.Text.Encoding.Latin1.GetString(ReadShared(f))));
        raw.ShouldContain("Acme Plumbing");
        raw.ShouldNotContain(accessToken);
        raw.ShouldNotContain(refreshToken);

        // A new process reads the keys from the same folder: the stored token still decrypts.
        var restarted = Microsoft.AspNetCore.DataProtection.DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(_app.Folder, "keys")),
            b => b.SetApplicationName("Jobkore"));
        await using var scope2 = _app.SignedInScope();
        await using var db = await scope2.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var stored = await db.QuickBooksConnections.AsNoTracking().SingleAsync(TestContext.Current.CancellationToken);
        new QboTokenProtector(restarted).Unprotect(stored.ProtectedRefreshToken).ShouldBe(refreshToken);
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private async Task AddMappingAsync(string realmId)
    {
        await using var scope = _app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync();
        var client = await db.Clients.FirstAsync();
        var record = new SyncRecord(_app.BusinessId, realmId, SyncEntityType.Client, client.Id);
        record.Link("58", "0");
        db.SyncRecords.Add(record);
        await db.SaveChangesAsync();
    }

    private async Task<string[]> MappingsAsync()
    {
        await using var scope = _app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync();
        return await db.SyncRecords.Select(r => r.RealmId).ToArrayAsync();
    }

    private Task<string> StoredRefreshTokenAsync() => StoredRefreshTokenAsync(_app);

    private static async Task<string> StoredRefreshTokenAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync();
        var stored = await db.QuickBooksConnections.AsNoTracking().SingleAsync();
        return scope.ServiceProvider.GetRequiredService<QboTokenProtector>().Unprotect(stored.ProtectedRefreshToken);
    }

    /// <summary>Tries a refresh token at the sandbox directly; returns the OAuth error, or "ok".</summary>
    private Task<string> RefreshAtSandboxAsync(string refreshToken) => RefreshAtSandboxAsync(_app, refreshToken);

    private static async Task<string> RefreshAtSandboxAsync(QuickBooksApp app, string refreshToken)
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/qbo-sandbox/oauth2/v1/tokens/bearer")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("jobkore-demo-client:jobkore-demo-secret"u8.ToArray()));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? "ok" : System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;
    }
}

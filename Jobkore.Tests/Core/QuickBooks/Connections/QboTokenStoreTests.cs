using System.Net;
using System.Text;
using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.OAuth;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobkore.Tests.Core.QuickBooks.Connections;

public sealed class QboTokenStoreTests : DatabaseTest
{
    private const string RealmId = "9130357992";
    private static readonly IntuitEndpoints s_endpoints = new(
        new Uri("https://appcenter.example/connect/oauth2"), new Uri("https://oauth.example/oauth2/v1/tokens/bearer"),
        new Uri("https://developer.example/v2/oauth2/tokens/revoke"), new Uri("https://accounts.example/v1/openid_connect/userinfo"), new Uri("https://qbo.example/"));

    private readonly QboTokenProtector _protector = new(new EphemeralDataProtectionProvider());
    private readonly TokenEndpoint _endpoint = new();
    private QboAccessTokenCache? _cache;

    private QboTokenStore Store(AsyncServiceScope scope, QboTokenRefreshLocks locks) => new(
        scope.Get<IDbContextFactory<JobkoreDbContext>>(),
        scope.Get<ICurrentBusiness>(),
        _protector,
        new IntuitOAuthClient(new HttpClient(_endpoint)),
        new Environments(),
        locks,
        _cache ??= new QboAccessTokenCache(Db.Time),
        Db.Time,
        NullLogger<QboTokenStore>.Instance);

    private async Task ConnectAsync(TimeSpan accessTokenLifeLeft, string accessToken = "access-0", string refreshToken = "refresh-0")
    {
        await using var scope = Db.CreateScope();
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync();
        var now = Db.Time.GetUtcNow();
        db.QuickBooksConnections.Add(new QuickBooksConnection(Db.Business.Id, RealmId, "Acme Plumbing & Heating LLC", "BuiltInSandbox", "Dana Rivera", now,
            new ProtectedTokens(_protector.Protect(accessToken), now + accessTokenLifeLeft, _protector.Protect(refreshToken), now.AddDays(100))));
        await db.SaveChangesAsync();
    }

    private async Task<QuickBooksConnection> StoredAsync()
    {
        await using var scope = Db.CreateScope();
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync();
        return await db.QuickBooksConnections.AsNoTracking().SingleAsync();
    }

    [Fact]
    public async Task GetAccessTokenAsync_TokenValidForAWhile_ReturnsItWithoutRefreshing()
    {
        await ConnectAsync(TimeSpan.FromMinutes(30));
        await using var scope = Db.CreateScope();

        var token = await Store(scope, new QboTokenRefreshLocks()).GetAccessTokenAsync(RealmId, null, CancellationToken.None);

        token.ShouldBe("access-0");
        _endpoint.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task GetAccessTokenAsync_Again_ComesFromMemory_UntilTheConnectionIsDueToBeReadAgain()
    {
        await ConnectAsync(TimeSpan.FromMinutes(30));
        await using var scope = Db.CreateScope();
        var store = Store(scope, new QboTokenRefreshLocks());
        (await store.GetAccessTokenAsync(RealmId, null, CancellationToken.None)).ShouldBe("access-0");

        // Another instance marks the connection "Reconnect needed"; this one sees it once it reads the row again.
        var ct = TestContext.Current.CancellationToken;
        await using (var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(ct))
        {
            var connection = await db.QuickBooksConnections.SingleAsync(ct);
            connection.MarkReconnectNeeded(Db.Time.GetUtcNow());
            await db.SaveChangesAsync(ct);
        }

        (await store.GetAccessTokenAsync(RealmId, null, CancellationToken.None)).ShouldBe("access-0");
        Db.Time.Advance(QboAccessTokenCache.RecheckAfter);
        var ex = await Should.ThrowAsync<QuickBooksException>(() => store.GetAccessTokenAsync(RealmId, null, CancellationToken.None).AsTask());

        ex.Error.Kind.ShouldBe(QuickBooksErrorKind.Unauthorized);
        _endpoint.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task GetAccessTokenAsync_OnceTheCachedTokenIsDueForRefresh_Refreshes()
    {
        await ConnectAsync(TimeSpan.FromMinutes(30));
        await using var scope = Db.CreateScope();
        var store = Store(scope, new QboTokenRefreshLocks());
        (await store.GetAccessTokenAsync(RealmId, null, CancellationToken.None)).ShouldBe("access-0");

        Db.Time.Advance(TimeSpan.FromMinutes(30) - QboTokenStore.RefreshAhead);

        (await store.GetAccessTokenAsync(RealmId, null, CancellationToken.None)).ShouldBe("access-1");
        _endpoint.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task GetAccessTokenAsync_TenConcurrentCallersWithAnExpiringToken_ShareExactlyOneRefresh()
    {
        await ConnectAsync(TimeSpan.FromMinutes(2));
        var locks = new QboTokenRefreshLocks();
        var scopes = Enumerable.Range(0, 10).Select(_ => Db.CreateScope()).ToList();

        var tokens = await Task.WhenAll(scopes.Select(s => Store(s, locks).GetAccessTokenAsync(RealmId, null, CancellationToken.None).AsTask()));

        _endpoint.Calls.ShouldBe(1);
        tokens.ShouldAllBe(t => t == "access-1");
        var stored = await StoredAsync();
        _protector.Unprotect(stored.ProtectedRefreshToken).ShouldBe("refresh-1");
        stored.AccessTokenExpiresAt.ShouldBe(Db.Time.GetUtcNow().AddSeconds(3600));
        _endpoint.LastForm.ShouldBe("grant_type=refresh_token&refresh_token=refresh-0");
        _endpoint.LastAuthorization.ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("client-id:client-secret")));
        foreach (var scope in scopes)
        {
            await scope.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetAccessTokenAsync_TokenQboJustRejected_IsRefreshedEvenBeforeItsExpiry()
    {
        await ConnectAsync(TimeSpan.FromMinutes(50));
        await using var scope = Db.CreateScope();

        var token = await Store(scope, new QboTokenRefreshLocks()).GetAccessTokenAsync(RealmId, "access-0", CancellationToken.None);

        token.ShouldBe("access-1");
        _endpoint.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task GetAccessTokenAsync_InvalidGrant_MarksReconnectNeededAndStopsAsking()
    {
        await ConnectAsync(TimeSpan.Zero);
        _endpoint.InvalidGrant = true;
        await using var scope = Db.CreateScope();
        var sut = Store(scope, new QboTokenRefreshLocks());

        var first = await Should.ThrowAsync<QuickBooksException>(() => sut.GetAccessTokenAsync(RealmId, null, CancellationToken.None).AsTask());
        var second = await Should.ThrowAsync<QuickBooksException>(() => sut.GetAccessTokenAsync(RealmId, null, CancellationToken.None).AsTask());

        first.Error.Kind.ShouldBe(QuickBooksErrorKind.Unauthorized);
        first.Error.Message.ShouldStartWith("QuickBooks needs to be reconnected: Acme Plumbing & Heating LLC");
        second.Error.Message.ShouldBe(first.Error.Message);
        _endpoint.Calls.ShouldBe(1);
        (await StoredAsync()).Status.ShouldBe(QuickBooksConnectionStatus.ReconnectNeeded);
    }

    [Fact]
    [Trait(DatabaseTraits.Name, DatabaseTraits.SqliteOnly)]
    public async Task StoredTokens_AreNotInTheDatabaseFileInPlainText()
    {
        await ConnectAsync(TimeSpan.Zero, accessToken: "PLAINTEXT-ACCESS-TOKEN-4711", refreshToken: "PLAINTEXT-REFRESH-TOKEN-4711");
        _endpoint.NextAccessToken = "PLAINTEXT-ROTATED-ACCESS-4712";
        _endpoint.NextRefreshToken = "PLAINTEXT-ROTATED-REFRESH-4712";
        await using (var scope = Db.CreateScope())
        {
            await Store(scope, new QboTokenRefreshLocks()).GetAccessTokenAsync(RealmId, null, CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();
        await using (var checkpoint = new SqliteConnection($"Data Source={Db.DatabasePath}"))
        {
            await checkpoint.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = checkpoint.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var raw = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Db.DatabasePath, TestContext.Current.CancellationToken));
        raw.ShouldContain("Acme Plumbing & Heating LLC");
        raw.ShouldNotContain("PLAINTEXT-");
    }

    /// <summary>Every column of the stored connection as the database returns it, on either database (PostgreSQL has no file to read).</summary>
    [Fact]
    public async Task StoredTokens_AreNotInAnyColumnInPlainText()
    {
        await ConnectAsync(TimeSpan.Zero, accessToken: "PLAINTEXT-ACCESS-TOKEN-4711", refreshToken: "PLAINTEXT-REFRESH-TOKEN-4711");
        await using var scope = Db.CreateScope();
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM \"QuickBooksConnections\"";
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var raw = new StringBuilder();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                raw.Append(reader.GetValue(i)).Append('|');
            }
        }

        raw.ToString().ShouldContain("Acme Plumbing & Heating LLC");
        raw.ToString().ShouldNotContain("PLAINTEXT-");
    }

    private sealed class Environments : IIntuitEnvironments
    {
        public IntuitAppCredentials Credentials { get; } = new("client-id", "client-secret");

        public Task<IntuitEndpoints> GetEndpointsAsync(string environment, CancellationToken cancellationToken) => Task.FromResult(s_endpoints);
    }

    /// <summary>Intuit's token endpoint: rotates both tokens on every refresh, slowly enough that concurrent callers overlap.</summary>
    private sealed class TokenEndpoint : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        public bool InvalidGrant { get; set; }

        public string? NextAccessToken { get; set; }

        public string? NextRefreshToken { get; set; }

        public string? LastForm { get; private set; }

        public string? LastAuthorization { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _calls);
            LastForm = await request.Content!.ReadAsStringAsync(cancellationToken);
            LastAuthorization = request.Headers.Authorization?.ToString();
            await Task.Delay(100, cancellationToken);
            if (InvalidGrant)
            {
                return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("""{"error":"invalid_grant","error_description":"Token invalid"}""") };
            }

            var body = $$"""{"token_type":"bearer","access_token":"{{NextAccessToken ?? $"access-{n}"}}","expires_in":3600,"refresh_token":"{{NextRefreshToken ?? $"refresh-{n}"}}","x_refresh_token_expires_in":8726400}""";
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}

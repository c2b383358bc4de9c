using System.Diagnostics;
using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.Sync;
using Jobkore.QuickBooksSandbox.FaultInjection;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jobkore.Tests.Web.QuickBooks;

/// <summary>Tokens over time, against the built-in sandbox over HTTP: the app and the sandbox share one fake clock.</summary>
public sealed class TokenLifetimeTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(TestServices.Now);
    private QuickBooksApp _app = default!;

    public ValueTask InitializeAsync()
    {
        _app = new QuickBooksApp(_time);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task ConnectAsync()
    {
        using var client = _app.Client();
        (await QuickBooksApp.ConnectAsync(client)).ShouldBe("/settings/integrations?quickbooks=connected");
    }

    private async Task<string?> CompanyNameAsync()
    {
        await using var scope = _app.SignedInScope();
        var company = await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().GetCompanyAsync(TestContext.Current.CancellationToken);
        var info = await scope.ServiceProvider.GetRequiredService<QboApiClient>().GetCompanyInfoAsync(company, TestContext.Current.CancellationToken);
        return info.CompanyInfo?.CompanyName;
    }

    [Fact]
    public async Task Callback_AfterTheStateExpired_IsRefusedAndStoresNothing()
    {
        using var client = _app.Client();
        var consent = await QuickBooksApp.StartConnectAsync(client);
        var callback = await QuickBooksApp.DecideAsync(client, consent, QuickBooksApp.AcmeRealm, "connect");

        _time.Advance(TimeSpan.FromMinutes(16));

        (await QuickBooksApp.CallbackAsync(client, callback)).ShouldBe("/settings/integrations?quickbooks=expired");
        _app.TokenRequests.Exchanges.ShouldBe(0);
    }

    [Fact]
    public async Task ApiCall_AfterTheAccessTokenExpired_RefreshesTransparentlyAndStoresTheRotatedRefreshToken()
    {
        await ConnectAsync();
        var before = await StoredAsync();

        _time.Advance(TimeSpan.FromHours(2));

        (await CompanyNameAsync()).ShouldBe("Acme Plumbing & Heating LLC");
        _app.TokenRequests.Refreshes.ShouldBe(1);
        var after = await StoredAsync();
        after.ProtectedRefreshToken.ShouldNotBe(before.ProtectedRefreshToken);
        after.AccessTokenExpiresAt.ShouldBe(_time.GetUtcNow().AddHours(1));
    }

    [Fact]
    public async Task ApiCall_AccessTokenExpiredAtTheSandboxBeforeOurClockSaysSo_GetsOneFreshTokenAndSucceeds()
    {
        await ConnectAsync();
        _app.Faults.ExpireAccessTokensNow(QuickBooksApp.AcmeRealm, _time.GetUtcNow());

        (await CompanyNameAsync()).ShouldBe("Acme Plumbing & Heating LLC");
        _app.TokenRequests.Refreshes.ShouldBe(1);
    }

    [Fact]
    public async Task TenConcurrentCalls_WithAnExpiredAccessToken_ShareExactlyOneRefresh()
    {
        await ConnectAsync();
        _time.Advance(TimeSpan.FromHours(2));

        var names = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(CompanyNameAsync)));

        names.ShouldAllBe(n => n == "Acme Plumbing & Heating LLC");
        _app.TokenRequests.Refreshes.ShouldBe(1);
    }

    [Fact]
    public async Task ApiCall_AfterTheGrantWasRevokedInQuickBooks_MarksTheConnectionReconnectNeeded()
    {
        await ConnectAsync();
        _app.Faults.RevokeGrantsNow(QuickBooksApp.AcmeRealm);
        _time.Advance(TimeSpan.FromHours(2));

        var error = await Should.ThrowAsync<QuickBooksException>(CompanyNameAsync);

        error.Error.Kind.ShouldBe(QuickBooksErrorKind.Unauthorized);
        error.Error.Message.ShouldContain("needs to be reconnected");
        (await StoredAsync()).Status.ShouldBe(QuickBooksConnectionStatus.ReconnectNeeded);
        using var client = _app.Client();
        var page = await client.GetStringAsync(new Uri("/settings/integrations", UriKind.Relative), TestContext.Current.CancellationToken);
        page.ShouldContain("Reconnect needed");
        page.ShouldContain("Documents keep waiting and\n                    nothing is lost", Case.Sensitive);
    }

    /// <summary>The refresh window is the last <see cref="QboTokenStore.RefreshAhead"/> (5 minutes) of the access token's hour.</summary>
    [Theory]
    [InlineData(6, 0)]
    [InlineData(4, 1)]
    public async Task SyncRun_RefreshesTheAccessTokenOnlyWithinTheRefreshWindow_OnceForAllItsRequests(int minutesBeforeExpiry, int refreshes)
    {
        await ConnectAsync();
        _time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromMinutes(minutesBeforeExpiry));

        var run = await _app.Services.GetRequiredService<SyncRuns>().RequestAsync(_app.BusinessId, null, SyncTrigger.SyncNow);

        run.Summary.Synced.ShouldBeGreaterThan(40);
        _app.TokenRequests.Refreshes.ShouldBe(refreshes);
    }

    [Fact]
    public async Task ApiCall_RightAfterTheUserDisconnectedJobkoreInsideQuickBooks_TakesTheFirst401AsReconnectNeeded()
    {
        await ConnectAsync();

        // What Intuit does when the user disconnects the app in QuickBooks: the grant is revoked, access token included.
        _app.Faults.RevokeGrantsNow(QuickBooksApp.AcmeRealm);

        var error = await Should.ThrowAsync<QuickBooksException>(CompanyNameAsync);

        error.Error.Kind.ShouldBe(QuickBooksErrorKind.Unauthorized);
        (await StoredAsync()).Status.ShouldBe(QuickBooksConnectionStatus.ReconnectNeeded);
        _app.TokenRequests.Refreshes.ShouldBe(1, "one refresh tried after the 401, refused with invalid_grant");
    }

    private async Task<QuickBooksConnection> StoredAsync()
    {
        await using var scope = _app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.QuickBooksConnections.AsNoTracking().SingleAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>Throttling against the built-in sandbox, on the real clock with a short wait after a 429.</summary>
public sealed class ThrottlingTests : IAsyncLifetime
{
    private QuickBooksApp _app = default!;

    public ValueTask InitializeAsync()
    {
        _app = new QuickBooksApp(settings: new() { ["QuickBooks:Client:ThrottleWait"] = "00:00:00.200" });
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task ApiCall_AnsweredWith429ThreeTimes_WaitsEachTimeAndSucceeds()
    {
        using var client = _app.Client();
        await QuickBooksApp.ConnectAsync(client);
        _app.Faults.Configure(QuickBooksApp.AcmeRealm, new FaultSettings { ThrottleBurst = 3 });
        await using var scope = _app.SignedInScope();
        var company = await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().GetCompanyAsync(TestContext.Current.CancellationToken);
        var watch = Stopwatch.StartNew();

        var info = await scope.ServiceProvider.GetRequiredService<QboApiClient>().GetCompanyInfoAsync(company, TestContext.Current.CancellationToken);

        info.CompanyInfo!.CompanyName.ShouldBe("Acme Plumbing & Heating LLC");

        // Three waits of 200 ms: the client waited instead of failing fast or hammering the company.
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(550));
    }
}

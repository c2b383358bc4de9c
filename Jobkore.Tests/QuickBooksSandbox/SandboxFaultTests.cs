using System.Net;
using System.Net.Http.Json;
using Jobkore.QuickBooksSandbox.FaultInjection;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>A sandbox whose fault controls are also served over HTTP.</summary>
public sealed class FaultySandboxHost : SandboxHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("QuickBooks:FaultInjectionEndpoints", "true")];
}

/// <summary>Deterministic fault injection (issue rule 11), per company or global, from C# and over HTTP.</summary>
public sealed class SandboxFaultTests(FaultySandboxHost sandbox) : IClassFixture<FaultySandboxHost>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SandboxFaults Faults => sandbox.Services.GetRequiredService<SandboxFaults>();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Faults.Clear();
        return ValueTask.CompletedTask;
    }

    private static string Info(string realm) => $"companyinfo/{realm}";

    [Fact]
    public async Task ServerErrors_ForOneCompany_Are503SystemFault_OtherCompanyUnaffected()
    {
        var (acme, _) = await sandbox.ConnectAsync(SandboxHost.AcmeRealm);
        var (second, _) = await sandbox.ConnectAsync(SandboxHost.SecondRealm);
        Faults.Configure(SandboxHost.AcmeRealm, new FaultSettings { ServerErrorRate = 1 });

        var failing = await sandbox.ApiAsync(acme, HttpMethod.Get, SandboxHost.AcmeRealm, Info(SandboxHost.AcmeRealm));
        var healthy = await sandbox.ApiAsync(second, HttpMethod.Get, SandboxHost.SecondRealm, Info(SandboxHost.SecondRealm));

        failing.Status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        failing.Body["Fault"]!["type"]!.GetValue<string>().ShouldBe("SystemFault");
        healthy.Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ThrottleBurst_AnswersTheNextCalls429ThenRecovers()
    {
        var (access, _) = await sandbox.ConnectAsync();
        Faults.Configure(null, new FaultSettings { ThrottleBurst = 2 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await sandbox.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, Info(SandboxHost.AcmeRealm))).Status);
        }

        statuses.ShouldBe([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK]);
    }

    [Fact]
    public async Task DropAfterCommit_StoresTheWriteButCutsTheAnswer_TheRetryWithTheSameRequestIdGetsIt()
    {
        var (access, _) = await sandbox.ConnectAsync();
        Faults.Configure(SandboxHost.AcmeRealm, new FaultSettings { DropAfterCommitRate = 1 });

        await Should.ThrowAsync<HttpRequestException>(() => sandbox.ApiAsync(access, HttpMethod.Post, SandboxHost.AcmeRealm, "customer?requestid=drop-1", new { DisplayName = "Dropped Answer" }));
        Faults.Clear();
        var retry = await sandbox.ApiAsync(access, HttpMethod.Post, SandboxHost.AcmeRealm, "customer?requestid=drop-1", new { DisplayName = "Dropped Answer" });
        var count = await sandbox.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, $"query?query={Uri.EscapeDataString("select count(*) from Customer where DisplayName = 'Dropped Answer'")}");

        retry.Status.ShouldBe(HttpStatusCode.OK);
        count.Body["QueryResponse"]!["totalCount"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task SameSeed_SameFaults()
    {
        var (access, _) = await sandbox.ConnectAsync();

        async Task<string> RunAsync()
        {
            Faults.Configure(SandboxHost.AcmeRealm, new FaultSettings { ServerErrorRate = 0.5 }, seed: 42);
            var pattern = string.Empty;
            for (var i = 0; i < 12; i++)
            {
                pattern += (await sandbox.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, Info(SandboxHost.AcmeRealm))).Status == HttpStatusCode.OK ? "." : "X";
            }

            return pattern;
        }

        var first = await RunAsync();
        var second = await RunAsync();

        second.ShouldBe(first);
        first.ShouldContain("X");
        first.ShouldContain(".");
    }

    [Fact]
    public async Task HttpControls_ExpireTokensNow_ThenRevokeGrants()
    {
        var (access, refresh) = await sandbox.ConnectAsync();

        using var expire = await sandbox.Http.PostAsJsonAsync($"{SandboxHost.BasePath}/_sandbox/tokens/expire", new { realmId = SandboxHost.AcmeRealm }, Ct);
        var expired = await sandbox.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, Info(SandboxHost.AcmeRealm));
        using var refreshed = await sandbox.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh });
        using var revoke = await sandbox.Http.PostAsJsonAsync($"{SandboxHost.BasePath}/_sandbox/tokens/revoke", new { realmId = SandboxHost.AcmeRealm }, Ct);
        var newRefresh = (await refreshed.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(Ct))!["refresh_token"]!.GetValue<string>();
        using var afterRevoke = await sandbox.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = newRefresh });

        expire.StatusCode.ShouldBe(HttpStatusCode.OK);
        expired.Status.ShouldBe(HttpStatusCode.Unauthorized);
        refreshed.StatusCode.ShouldBe(HttpStatusCode.OK);
        revoke.StatusCode.ShouldBe(HttpStatusCode.OK);
        afterRevoke.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task HttpControls_AreOffUnlessConfigured()
    {
        var plain = new SandboxHost();
        await plain.InitializeAsync();
        try
        {
            using var response = await plain.Http.PostAsJsonAsync($"{SandboxHost.BasePath}/_sandbox/faults", new { settings = new { serverErrorRate = 1 } }, Ct);

            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        finally
        {
            await plain.DisposeAsync();
        }
    }
}

using System.Net;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>A sandbox with tiny limits, so exceeding them takes a few requests.</summary>
public sealed class ThrottledSandboxHost : SandboxHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("QuickBooks:Limits:RequestsPerMinute", "3"),
        new("QuickBooks:Limits:BatchRequestsPerMinute", "1"),
    ];
}

/// <summary>Intuit's per-company limits answered with 429 code 3001 (issue rule 10; docs/quickbooks-api.md §3).</summary>
public sealed class SandboxLimitsTests(ThrottledSandboxHost sandbox) : IClassFixture<ThrottledSandboxHost>
{
    [Fact]
    public async Task OverRequestsPerMinute_Is429Code3001_UntilTheMinuteHasPassed_OtherCompanyUnaffected()
    {
        var (access, _) = await sandbox.ConnectAsync(SandboxHost.AcmeRealm);
        var (otherAccess, _) = await sandbox.ConnectAsync(SandboxHost.SecondRealm);
        var path = $"companyinfo/{SandboxHost.AcmeRealm}";
        for (var i = 0; i < 3; i++)
        {
            (await sandbox.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, path)).Status.ShouldBe(HttpStatusCode.OK);
        }

        var (status, body, _) = await sandbox.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, path);
        var other = await sandbox.ApiAsync(otherAccess, HttpMethod.Get, SandboxHost.SecondRealm, $"companyinfo/{SandboxHost.SecondRealm}");
        sandbox.Time.Advance(TimeSpan.FromSeconds(61));
        var later = await sandbox.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, path);

        status.ShouldBe(HttpStatusCode.TooManyRequests);
        body["Fault"]!["Error"]![0]!["code"]!.GetValue<string>().ShouldBe("3001");
        body["Fault"]!["Error"]![0]!["Message"]!.GetValue<string>().ShouldBe("message=ThrottleExceeded; errorCode=003001; statusCode=429");
        other.Status.ShouldBe(HttpStatusCode.OK);
        later.Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OverBatchRequestsPerMinute_Is429()
    {
        sandbox.Time.Advance(TimeSpan.FromMinutes(2));
        var (access, _) = await sandbox.ConnectAsync(SandboxHost.SecondRealm);
        var batch = new { BatchItemRequest = new object[] { new { bId = "1", Query = "select * from Account" } } };

        var first = await sandbox.ApiAsync(access, HttpMethod.Post, SandboxHost.SecondRealm, "batch?requestid=lim-1", batch);
        var second = await sandbox.ApiAsync(access, HttpMethod.Post, SandboxHost.SecondRealm, "batch?requestid=lim-2", batch);

        first.Status.ShouldBe(HttpStatusCode.OK);
        second.Status.ShouldBe(HttpStatusCode.TooManyRequests);
    }
}

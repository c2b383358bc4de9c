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

/// <summary>Intuit's own limits, requests a second included (the plain host lifts those, as its clock stands still).</summary>
public sealed class IntuitLimitsSandboxHost : SandboxHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("QuickBooks:Limits:RequestsPerSecond", "10")];
}

/// <summary>Intuit's own limits with time passing ten times faster: a "second" lasts 100 ms.</summary>
public sealed class TimeScaledSandboxHost : SandboxHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("QuickBooks:Limits:RequestsPerSecond", "10"),
        new("QuickBooks:Limits:TimeScale", "10"),
    ];
}

/// <summary>Intuit's per-company limits answered with 429 code 3001 (issue rule 10; docs/quickbooks-api.md §3).</summary>
public sealed class SandboxLimitsTests(ThrottledSandboxHost sandbox, IntuitLimitsSandboxHost intuit, TimeScaledSandboxHost timeScaled)
    : IClassFixture<ThrottledSandboxHost>, IClassFixture<IntuitLimitsSandboxHost>, IClassFixture<TimeScaledSandboxHost>
{
    private static async Task<HttpStatusCode[]> CompanyInfoAsync(SandboxHost host, string access, string realmId, int times)
    {
        var statuses = new HttpStatusCode[times];
        for (var i = 0; i < times; i++)
        {
            statuses[i] = (await host.ApiAsync(access, HttpMethod.Get, realmId, $"companyinfo/{realmId}")).Status;
        }

        return statuses;
    }

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

    [Fact]
    public async Task OverRequestsPerSecond_Is429Code3001_UntilTheSecondHasPassed_OtherCompanyUnaffected()
    {
        intuit.Time.Advance(TimeSpan.FromMinutes(2)); // past what the class's other tests sent
        var (access, _) = await intuit.ConnectAsync(SandboxHost.AcmeRealm);
        var (otherAccess, _) = await intuit.ConnectAsync(SandboxHost.SecondRealm);
        var path = $"companyinfo/{SandboxHost.AcmeRealm}";
        (await CompanyInfoAsync(intuit, access, SandboxHost.AcmeRealm, 10)).ShouldAllBe(s => s == HttpStatusCode.OK);

        var (status, body, _) = await intuit.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, path);
        var other = await intuit.ApiAsync(otherAccess, HttpMethod.Get, SandboxHost.SecondRealm, $"companyinfo/{SandboxHost.SecondRealm}");
        intuit.Time.Advance(TimeSpan.FromMilliseconds(999));
        var justBefore = await intuit.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, path);
        intuit.Time.Advance(TimeSpan.FromMilliseconds(1));
        var later = await intuit.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, path);

        status.ShouldBe(HttpStatusCode.TooManyRequests);
        body["Fault"]!["Error"]![0]!["code"]!.GetValue<string>().ShouldBe("3001");
        body["Fault"]!["Error"]![0]!["Message"]!.GetValue<string>().ShouldBe("message=ThrottleExceeded; errorCode=003001; statusCode=429");
        other.Status.ShouldBe(HttpStatusCode.OK);
        justBefore.Status.ShouldBe(HttpStatusCode.TooManyRequests, "the ten requests still arrived less than a second ago");
        later.Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OverRequestsPerSecond_BatchRequestsCountToo()
    {
        intuit.Time.Advance(TimeSpan.FromMinutes(2)); // past what the class's other tests sent
        var (access, _) = await intuit.ConnectAsync(SandboxHost.SecondRealm);
        var batch = new { BatchItemRequest = new object[] { new { bId = "1", Query = "select * from Account" } } };
        for (var i = 0; i < 5; i++)
        {
            (await intuit.ApiAsync(access, HttpMethod.Post, SandboxHost.SecondRealm, $"batch?requestid=second-{i}", batch)).Status.ShouldBe(HttpStatusCode.OK);
        }

        var singles = await CompanyInfoAsync(intuit, access, SandboxHost.SecondRealm, 6);

        singles.ShouldBe([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests]);
    }

    [Fact]
    public async Task OverRequestsPerSecond_WithATimeScale_TheSecondIsShorter()
    {
        var (access, _) = await timeScaled.ConnectAsync(SandboxHost.AcmeRealm);
        (await CompanyInfoAsync(timeScaled, access, SandboxHost.AcmeRealm, 10)).ShouldAllBe(s => s == HttpStatusCode.OK);

        var over = await CompanyInfoAsync(timeScaled, access, SandboxHost.AcmeRealm, 1);
        timeScaled.Time.Advance(TimeSpan.FromMilliseconds(99));
        var justBefore = await CompanyInfoAsync(timeScaled, access, SandboxHost.AcmeRealm, 1);
        timeScaled.Time.Advance(TimeSpan.FromMilliseconds(1));
        var later = await CompanyInfoAsync(timeScaled, access, SandboxHost.AcmeRealm, 1);

        over.ShouldBe([HttpStatusCode.TooManyRequests]);
        justBefore.ShouldBe([HttpStatusCode.TooManyRequests]);
        later.ShouldBe([HttpStatusCode.OK], "at TimeScale 10 Intuit's second lasts 100 ms");
    }
}

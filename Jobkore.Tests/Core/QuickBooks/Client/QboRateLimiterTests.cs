using Jobkore.Core.QuickBooks.Client;
using Microsoft.Extensions.Options;

namespace Jobkore.Tests.Core.QuickBooks.Client;

public sealed class QboRateLimiterTests
{
    [Fact]
    public async Task AcquireAsync_BeyondTheConcurrentLimit_WaitsForASlotOfTheSameCompanyOnly()
    {
        using var sut = new QboRateLimiter(Options.Create(new QboClientOptions { ConcurrentRequests = 2 }));
        var ct = TestContext.Current.CancellationToken;
        var first = await sut.AcquireAsync("realm-a", ct);
        using var second = await sut.AcquireAsync("realm-a", ct);

        var third = sut.AcquireAsync("realm-a", ct).AsTask();
        using var otherCompany = await sut.AcquireAsync("realm-b", ct);
        await Task.Delay(50, ct);
        third.IsCompleted.ShouldBeFalse();

        first.Dispose();
        using var granted = await third.WaitAsync(TimeSpan.FromSeconds(5), ct);
        granted.ShouldNotBeNull();
    }

    [Fact]
    public async Task AcquireAsync_BeyondRequestsPerMinute_Waits()
    {
        using var sut = new QboRateLimiter(Options.Create(new QboClientOptions { RequestsPerMinute = 3 }));
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 3; i++)
        {
            (await sut.AcquireAsync("realm-a", ct)).Dispose();
        }

        var fourth = sut.AcquireAsync("realm-a", ct).AsTask();
        await Task.Delay(100, ct);

        fourth.IsCompleted.ShouldBeFalse();
    }
}

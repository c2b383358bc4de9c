using Jobkore.Web.Components.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Jobkore.Tests.Web.Components.Shared;

public sealed class CoalescerTests
{
    private static readonly TimeSpan s_quiet = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task ALoneRequest_RunsAtOnce()
    {
        var time = new FakeTimeProvider();
        var runs = 0;
        var sut = new Coalescer(_ => { runs++; return Task.CompletedTask; }, s_quiet, time);

        var request = sut.RequestAsync(TestContext.Current.CancellationToken);

        runs.ShouldBe(1);
        time.Advance(s_quiet);
        await request;
        runs.ShouldBe(1);
    }

    [Fact]
    public async Task ABurstOfAThousandRequests_RunsOnceAtOnceAndOnceMoreAfterTheQuietInterval()
    {
        var time = new FakeTimeProvider();
        var runs = 0;
        var sut = new Coalescer(_ => { runs++; return Task.CompletedTask; }, s_quiet, time);

        var first = sut.RequestAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i < 1000; i++)
        {
            await sut.RequestAsync(TestContext.Current.CancellationToken);
        }

        runs.ShouldBe(1);
        time.Advance(s_quiet);
        runs.ShouldBe(2);
        time.Advance(s_quiet);
        await first;
        runs.ShouldBe(2);

        // Quiet again: the next change runs at once.
        _ = sut.RequestAsync(TestContext.Current.CancellationToken);
        runs.ShouldBe(3);
    }

    [Fact]
    public async Task AfterCancellation_NothingMoreRuns()
    {
        var time = new FakeTimeProvider();
        using var stop = new CancellationTokenSource();
        var runs = 0;
        var sut = new Coalescer(_ => { runs++; return Task.CompletedTask; }, s_quiet, time);

        var first = sut.RequestAsync(stop.Token);
        await sut.RequestAsync(stop.Token);
        await stop.CancelAsync();
        await first;
        time.Advance(s_quiet);

        runs.ShouldBe(1);
    }
}

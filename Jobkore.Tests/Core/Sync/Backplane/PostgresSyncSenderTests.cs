using Jobkore.Core.Sync.Backplane;

namespace Jobkore.Tests.Core.Sync.Backplane;

/// <summary>The sender against a database is in <see cref="PostgresSyncBackplaneTests"/>; this needs none.</summary>
public sealed class PostgresSyncSenderTests
{
    [Theory]
    [InlineData(1, 500)]
    [InlineData(2, 1000)]
    [InlineData(3, 2000)]
    [InlineData(4, 4000)]
    [InlineData(5, 5000)]
    [InlineData(50, 5000)]
    public void Backoff_StartsAtHalfASecond_DoublingUpToFive(int failures, int milliseconds)
    {
        PostgresSyncSender.Backoff(failures).ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
    }
}

namespace Jobkore.Tests.TestSupport;

/// <summary>Waits for what the app does in the background (a webhook, a look at QuickBooks) to show.</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 100 ms; fails with <paramref name="failure"/> after 30 s.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException(failure);
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}

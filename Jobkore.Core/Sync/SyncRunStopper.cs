using Jobkore.Core.QuickBooks.Connections;

namespace Jobkore.Core.Sync;

/// <summary>
/// Stops the business's run in this process and waits for the lease to be free. A run in another process stops at its
/// next request, since the connection's tokens are gone by then; its lease goes when it has recorded what it sent.
/// </summary>
public sealed class SyncRunStopper(SyncRuns runs, SyncLeases leases, TimeProvider timeProvider) : ISyncRunStopper
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(200);

    public async Task<bool> StopAsync(int businessId, CancellationToken cancellationToken)
    {
        await runs.StopAsync(businessId);
        var giveUpAt = timeProvider.GetUtcNow() + SyncLeases.Duration;
        while (await leases.IsHeldAsync(businessId, cancellationToken))
        {
            if (timeProvider.GetUtcNow() >= giveUpAt)
            {
                return false;
            }

            await Task.Delay(s_poll, timeProvider, cancellationToken);
        }

        return true;
    }
}

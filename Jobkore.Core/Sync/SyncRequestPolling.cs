using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.Sync;

/// <summary>
/// The worker's look at the request rows every instance shares (docs/design.md §9): it takes on the rows no worker is
/// performing, answers whoever waits here for a row another instance performed, and now and then deletes old rows.
/// </summary>
internal sealed partial class SyncRequestPolling(SyncRuns runs, IServiceScopeFactory scopes, ILogger logger)
{
    /// <summary>How often the rows someone here waits for, while another instance may be performing them, are read again.</summary>
    public static readonly TimeSpan AnswerInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How often finished rows older than <see cref="SyncRequests.KeepFinishedFor"/> are deleted.</summary>
    public static readonly TimeSpan CleanUpInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// Queues here the unfinished rows whose time has come and whose business no live lease covers, and that this
    /// process does not have in hand. If another instance queues one too, the lease decides who performs it; the other
    /// leaves it. A row nobody has claimed is left to the instance that asked for it for <paramref name="askerFirst"/>.
    /// </summary>
    public async Task AdoptAsync(TimeSpan askerFirst, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var rows = scope.ServiceProvider.GetRequiredService<SyncRequests>();
        foreach (var request in await runs.AdoptAsync(ct => rows.FindUnheldAsync(askerFirst, ct), cancellationToken))
        {
            LogAdopted(logger, request.RowId!.Value, request.BusinessId, request.Trigger);
        }
    }

    /// <summary>Answers each of <paramref name="requests"/> whose row is finished, with the result it holds; the others keep waiting.</summary>
    public async Task AnswerFinishedAsync(IReadOnlyCollection<SyncRunRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var results = await scope.ServiceProvider.GetRequiredService<SyncRequests>().ResultsAsync([.. requests.Select(r => r.RowId!.Value)], cancellationToken);
        foreach (var request in requests)
        {
            if (results.TryGetValue(request.RowId!.Value, out var result))
            {
                request.Completion.TrySetResult(result);
            }
        }
    }

    /// <summary>Answers whoever waits here for a row that is not being performed here, once it is finished.</summary>
    public Task AnswerUnansweredAsync(CancellationToken cancellationToken) => AnswerFinishedAsync(runs.Unanswered(), cancellationToken);

    /// <summary>Deletes the rows finished long ago.</summary>
    public async Task CleanUpAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var deleted = await scope.ServiceProvider.GetRequiredService<SyncRequests>().DeleteOldAsync(cancellationToken);
        if (deleted > 0)
        {
            LogCleanedUp(logger, deleted);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Taking on sync request {RequestId} of business {BusinessId} ({Trigger}), which no worker is performing")]
    private static partial void LogAdopted(ILogger logger, long requestId, int businessId, SyncTrigger trigger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted {Count} finished sync requests")]
    private static partial void LogCleanedUp(ILogger logger, int count);
}

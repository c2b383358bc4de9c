using Jobkore.Core.Data;
using Jobkore.Core.Sync;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>
/// Intuit's app review: every QuickBooks error is logged with its <c>intuit_tid</c>, the id Intuit support asks for —
/// a write QuickBooks refused inside a batch as much as one sent alone.
/// </summary>
public sealed class SyncErrorLoggingTests
{
    [Theory]
    [InlineData(30)]
    [InlineData(1)]
    public async Task RefusedWrite_IsLoggedWithTheIntuitTidOfTheAnswer_AndKeptInItsHistory(int batchSize)
    {
        var logs = new CapturedLogs();
        await using var app = new QuickBooksApp(settings: new() { ["Sync:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture) }, logs: logs);
        await app.ConnectAcmeAsync();

        var run = await app.Services.GetRequiredService<SyncRuns>().RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);

        run.Summary.Failed.ShouldBeGreaterThan(0, "the demo business has a client whose name QuickBooks refuses (6240)");
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var refused = await db.SyncAttempts.AsNoTracking().Where(a => !a.Succeeded && a.ErrorCode == "6240").ToListAsync(TestContext.Current.CancellationToken);
        refused.ShouldNotBeEmpty();
        foreach (var attempt in refused)
        {
            attempt.IntuitTid.ShouldNotBeNullOrEmpty($"{attempt.EntityType} {attempt.EntityId}'s refused {attempt.Operation} keeps Intuit's tid");
            logs.Entries.ShouldContain(
                e => e.StartsWith("Warning ", StringComparison.Ordinal) && e.Contains($"Could not send {attempt.EntityType} {attempt.EntityId} to QuickBooks company", StringComparison.Ordinal)
                     && e.Contains("code 6240", StringComparison.Ordinal) && e.Contains($"intuit_tid {attempt.IntuitTid}", StringComparison.Ordinal),
                $"the log says which {attempt.EntityType} QuickBooks refused, with the tid {attempt.IntuitTid}");
        }
    }
}

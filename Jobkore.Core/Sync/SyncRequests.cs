using System.Text.Json;
using Jobkore.Core.Data;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync;

/// <summary>
/// The runs asked for, as rows in the database (docs/design.md §9): added when someone asks, claimed by the worker that
/// takes the business's lease, finished with the run's result, and read back by the instance whose caller waits.
/// Every instance on the database sees them, so whichever takes the lease performs them.
/// </summary>
public sealed class SyncRequests(DbContextOptions<JobkoreDbContext> dbOptions, TimeProvider timeProvider)
{
    /// <summary>How long a finished row is kept before <see cref="DeleteOldAsync"/> removes it.</summary>
    public static readonly TimeSpan KeepFinishedFor = TimeSpan.FromDays(7);

    private static readonly SyncRunResult s_gone = new(SyncRunOutcome.Failed, SyncSummary.Empty, "The sync request is gone: its business no longer exists.");
    private static readonly string s_transientRetry = nameof(SyncTrigger.TransientRetry);

    /// <summary>Adds a request for a run starting now; returns it, carrying its row's id.</summary>
    internal async Task<SyncRunRequest> AddAsync(int businessId, IReadOnlyCollection<int>? invoiceIds, SyncTrigger trigger, CancellationToken cancellationToken)
    {
        await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
        var row = NewRow(businessId, invoiceIds, trigger, timeProvider.GetUtcNow());
        db.SyncRequests.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return ToRequest(row);
    }

    /// <summary>Adds a request for a look at QuickBooks' changes (a run of no invoices), unless one is waiting unstarted; returns it, or null.</summary>
    internal async Task<SyncRunRequest?> AddCheckUnlessWaitingAsync(int businessId, CancellationToken cancellationToken)
    {
        var trigger = nameof(SyncTrigger.CheckQuickBooks);
        await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
        if (await db.SyncRequests.AnyAsync(r => r.BusinessId == businessId && r.FinishedAt == null && r.ClaimedBy == null && r.Trigger == trigger, cancellationToken))
        {
            return null;
        }

        var row = NewRow(businessId, [], SyncTrigger.CheckQuickBooks, timeProvider.GetUtcNow());
        db.SyncRequests.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return ToRequest(row);
    }

    /// <summary>A row for a run starting at <paramref name="now"/>, for a caller adding it in a transaction of its own.</summary>
    internal static SyncRequest NewRow(int businessId, IReadOnlyCollection<int>? invoiceIds, SyncTrigger trigger, DateTimeOffset now) =>
        new(businessId, trigger.ToString(), invoiceIds is null ? null : JsonSerializer.Serialize(invoiceIds), now, now);

    /// <summary>The request a saved row asks for.</summary>
    internal static SyncRunRequest ToRequest(SyncRequest row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var invoiceIds = row.InvoiceIds is null ? null : JsonSerializer.Deserialize<int[]>(row.InvoiceIds);
        var trigger = Enum.TryParse<SyncTrigger>(row.Trigger, out var parsed) ? parsed : SyncTrigger.SyncNow;
        return new SyncRunRequest(row.BusinessId, invoiceIds, trigger) { RowId = row.Id };
    }

    /// <summary>
    /// Under the business's lease, claims for <paramref name="holder"/> the unfinished rows of <paramref name="own"/>
    /// and, for a run of every waiting document, every unfinished row of the business asking for one whose time has
    /// come (the run sends what they asked for). Returns what it claimed.
    /// </summary>
    internal async Task<IReadOnlyList<ClaimedSyncRequest>> ClaimAsync(int businessId, string holder, IReadOnlyCollection<long> own, bool everything, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var ids = own.ToList();
        await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
        var claimable = db.SyncRequests.Where(r => r.BusinessId == businessId && r.FinishedAt == null
            && (ids.Contains(r.Id) || (everything && r.InvoiceIds == null && r.NotBefore <= now)));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await claimable.ExecuteUpdateAsync(s => s.SetProperty(r => r.ClaimedBy, holder), cancellationToken);
        var claimed = await claimable.Where(r => r.ClaimedBy == holder)
            .Select(r => new ClaimedSyncRequest(r.Id, r.Trigger == s_transientRetry ? r.Attempt : 0)).ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    /// <summary>
    /// Writes <paramref name="result"/> on the rows of <paramref name="ids"/> still unfinished and claimed by
    /// <paramref name="holder"/> (any holder when null), and adds <paramref name="retry"/> unless a retry already waits,
    /// in one transaction. Returns how many rows it finished.
    /// </summary>
    internal async Task<int> FinishAsync(int businessId, IReadOnlyCollection<long> ids, string? holder, SyncRunResult result, SyncRetry? retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var now = timeProvider.GetUtcNow();
        var list = ids.ToList();
        var outcome = result.Outcome.ToString();
        var summary = JsonSerializer.Serialize(result.Summary);
        await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = db.SyncRequests.Where(r => list.Contains(r.Id) && r.FinishedAt == null);
        if (holder is not null)
        {
            rows = rows.Where(r => r.ClaimedBy == holder);
        }

        var finished = await rows.ExecuteUpdateAsync(s => s
            .SetProperty(r => r.FinishedAt, now)
            .SetProperty(r => r.Outcome, outcome)
            .SetProperty(r => r.Message, result.Message)
            .SetProperty(r => r.Summary, summary), cancellationToken);
        if (retry is not null && !await db.SyncRequests.AnyAsync(r => r.BusinessId == businessId && r.FinishedAt == null && r.Trigger == s_transientRetry, cancellationToken))
        {
            db.SyncRequests.Add(new SyncRequest(businessId, s_transientRetry, null, now, now + retry.Delay, retry.Attempt));
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return finished;
    }

    /// <summary>The result of each row of <paramref name="ids"/> that is finished (or gone with its business); rows still unfinished are left out.</summary>
    internal async Task<IReadOnlyDictionary<long, SyncRunResult>> ResultsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var list = ids.ToList();
        await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
        var rows = await db.SyncRequests.AsNoTracking().Where(r => list.Contains(r.Id))
            .Select(r => new { r.Id, r.FinishedAt, r.Outcome, r.Message, r.Summary }).ToDictionaryAsync(r => r.Id, cancellationToken);
        var results = new Dictionary<long, SyncRunResult>();
        foreach (var id in list)
        {
            if (!rows.TryGetValue(id, out var row))
            {
                results[id] = s_gone;
            }
            else if (row.FinishedAt is not null)
            {
                results[id] = new SyncRunResult(
                    Enum.TryParse<SyncRunOutcome>(row.Outcome, out var outcome) ? outcome : SyncRunOutcome.Failed,
                    row.Summary is null ? SyncSummary.Empty : JsonSerializer.Deserialize<SyncSummary>(row.Summary) ?? SyncSummary.Empty,
                    row.Message);
            }
        }

        return results;
    }

    /// <summary>
    /// The unfinished rows whose time has come and whose business no live lease covers: asked of an instance that has
    /// not started them (or died first), or claimed by a worker whose lease expired (it died mid-run). Oldest first. A row
    /// nobody has claimed yet is found only <paramref name="askerFirst"/> after its time came: the instance that asked for
    /// it is about to take the lease itself, and another taking it first would perform a run its asker waits to start. A
    /// retry has no asker (the run that wrote it ended), so it is found as soon as its time comes.
    /// </summary>
    internal async Task<IReadOnlyList<SyncRunRequest>> FindUnheldAsync(TimeSpan askerFirst, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var unclaimedSince = now - askerFirst;
        await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);

        // Live exactly as long as SyncLeases.TryAcquireAsync cannot take it, so a row taken on here can be performed.
        var rows = await db.SyncRequests.AsNoTracking()
            .Where(r => r.FinishedAt == null && (r.ClaimedBy != null || r.Trigger == s_transientRetry ? r.NotBefore <= now : r.NotBefore <= unclaimedSince)
                && !db.SyncLeases.Any(l => l.BusinessId == r.BusinessId && l.ExpiresAt >= now))
            .OrderBy(r => r.Id).ToListAsync(cancellationToken);
        return [.. rows.Select(ToRequest)];
    }

    /// <summary>Deletes the rows finished longer ago than <see cref="KeepFinishedFor"/>; returns how many.</summary>
    internal async Task<int> DeleteOldAsync(CancellationToken cancellationToken)
    {
        var before = timeProvider.GetUtcNow() - KeepFinishedFor;
        await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
        return await db.SyncRequests.Where(r => r.FinishedAt != null && r.FinishedAt < before).ExecuteDeleteAsync(cancellationToken);
    }
}

/// <summary>A row a run claimed; <paramref name="RetryAttempt"/> is its retry number when it is the retry of what failed for a passing reason, else 0.</summary>
internal sealed record ClaimedSyncRequest(long Id, int RetryAttempt);

/// <summary>The retry of what failed for a passing reason, to add as a row starting after <paramref name="Delay"/>.</summary>
internal sealed record SyncRetry(int Attempt, TimeSpan Delay);

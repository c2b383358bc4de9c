using Jobkore.Core.Data;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Tests.Sync;

/// <summary>The request rows on a real database: what a run claims, whose result is written, which rows no lease covers, and what is deleted.</summary>
public sealed class SyncRequestsTests : DatabaseTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SyncRunResult s_completed = new(SyncRunOutcome.Completed, new SyncSummary(3, 1, 7, 1), "Done.");

    [Fact]
    public async Task ClaimAsync_ARunOfEveryWaitingDocument_ClaimsItsOwnRowsAndEveryDueRowAskingForThat_NotChosenInvoicesOrARetryNotDue()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<SyncRequests>();
        var own = await sut.AddAsync(Db.Business.Id, null, SyncTrigger.SyncNow, Ct);
        var autoSync = await sut.AddAsync(Db.Business.Id, null, SyncTrigger.AutoSync, Ct);
        var invoices = await sut.AddAsync(Db.Business.Id, [5, 8], SyncTrigger.SyncSelected, Ct);
        var laterRetry = await AddAsync(new SyncRequest(Db.Business.Id, nameof(SyncTrigger.TransientRetry), null, Now, Now + TimeSpan.FromSeconds(30), 2));
        var dueRetry = await AddAsync(new SyncRequest(Db.Business.Id, nameof(SyncTrigger.TransientRetry), null, Now, Now, 3));

        var claimed = await sut.ClaimAsync(Db.Business.Id, "worker-1", [own.RowId!.Value], everything: true, Ct);

        claimed.OrderBy(c => c.Id).ShouldBe([new(own.RowId.Value, 0), new(autoSync.RowId!.Value, 0), new(dueRetry, 3)]);
        var rows = await RowsAsync();
        rows.Single(r => r.Id == invoices.RowId).ClaimedBy.ShouldBeNull();
        rows.Single(r => r.Id == laterRetry).ClaimedBy.ShouldBeNull();
    }

    [Fact]
    public async Task ClaimAsync_ARunOfChosenInvoices_ClaimsOnlyItsOwnRow_AndNothingOnceItIsFinished()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<SyncRequests>();
        var own = await sut.AddAsync(Db.Business.Id, [5], SyncTrigger.ResyncOne, Ct);
        await sut.AddAsync(Db.Business.Id, null, SyncTrigger.SyncNow, Ct);

        var claimed = await sut.ClaimAsync(Db.Business.Id, "worker-1", [own.RowId!.Value], everything: false, Ct);
        await sut.FinishAsync(Db.Business.Id, [own.RowId.Value], "worker-1", s_completed, retry: null, Ct);
        var again = await sut.ClaimAsync(Db.Business.Id, "worker-2", [own.RowId.Value], everything: false, Ct);

        claimed.ShouldBe([new(own.RowId.Value, 0)]);
        again.ShouldBeEmpty("another worker performed it meanwhile");
        SyncRequests.ToRequest((await RowsAsync()).Single(r => r.Id == own.RowId)).InvoiceIds.ShouldBe([5]);
    }

    [Fact]
    public async Task FinishAsync_WritesTheResultOnlyOnRowsTheHolderStillClaims_AndAddsOneRetryAtATime()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<SyncRequests>();
        var kept = await sut.AddAsync(Db.Business.Id, null, SyncTrigger.SyncNow, Ct);
        var taken = await sut.AddAsync(Db.Business.Id, [5], SyncTrigger.ResyncOne, Ct);
        await sut.ClaimAsync(Db.Business.Id, "worker-1", [kept.RowId!.Value, taken.RowId!.Value], everything: true, Ct);
        await sut.ClaimAsync(Db.Business.Id, "worker-2", [taken.RowId.Value], everything: false, Ct);

        var finished = await sut.FinishAsync(Db.Business.Id, [kept.RowId.Value, taken.RowId.Value], "worker-1", s_completed, new SyncRetry(1, TimeSpan.FromSeconds(30)), Ct);
        await sut.FinishAsync(Db.Business.Id, [], "worker-1", s_completed, new SyncRetry(2, TimeSpan.FromMinutes(1)), Ct);

        finished.ShouldBe(1, "worker 2 took the Re-sync over");
        var results = await sut.ResultsAsync([kept.RowId.Value, taken.RowId.Value], Ct);
        results.Keys.ShouldBe([kept.RowId.Value]);
        results[kept.RowId.Value].ShouldBe(s_completed);
        var retry = (await RowsAsync()).Where(r => r.Trigger == nameof(SyncTrigger.TransientRetry)).ShouldHaveSingleItem("one retry waits at a time");
        retry.Attempt.ShouldBe(1);
        retry.NotBefore.ShouldBe(Now + TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task FindUnheldAsync_LeavesOutRowsUnderALiveLeaseAndRowsNotDue_AndFindsThemOnceTheLeaseHasExpired()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<SyncRequests>();
        var request = await sut.AddAsync(Db.Business.Id, null, SyncTrigger.SyncNow, Ct);
        await AddAsync(new SyncRequest(Db.Business.Id, nameof(SyncTrigger.TransientRetry), null, Now, Now + TimeSpan.FromMinutes(10), 1));
        (await scope.Get<SyncLeases>().TryAcquireAsync(Db.Business.Id, "worker-1", Ct)).ShouldBeTrue();

        var whileHeld = await sut.FindUnheldAsync(TimeSpan.Zero, Ct);
        Db.Time.Advance(SyncLeases.Duration + TimeSpan.FromSeconds(1));
        var afterExpiry = await sut.FindUnheldAsync(TimeSpan.Zero, Ct);

        whileHeld.ShouldBeEmpty();
        afterExpiry.Select(r => r.RowId).ShouldBe([request.RowId]);
        afterExpiry[0].Trigger.ShouldBe(SyncTrigger.SyncNow);
    }

    [Fact]
    public async Task FindUnheldAsync_LeavesARowNobodyClaimedToItsAskerForAWhile()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<SyncRequests>();
        var request = await sut.AddAsync(Db.Business.Id, null, SyncTrigger.SyncNow, Ct);

        var atOnce = await sut.FindUnheldAsync(TimeSpan.FromSeconds(2), Ct);
        Db.Time.Advance(TimeSpan.FromSeconds(2));
        var later = await sut.FindUnheldAsync(TimeSpan.FromSeconds(2), Ct);

        atOnce.ShouldBeEmpty();
        later.Select(r => r.RowId).ShouldBe([request.RowId]);
    }

    [Fact]
    public async Task DeleteOldAsync_DeletesOnlyRowsFinishedMoreThanAWeekAgo()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<SyncRequests>();
        var old = await sut.AddAsync(Db.Business.Id, null, SyncTrigger.SyncNow, Ct);
        await sut.FinishAsync(Db.Business.Id, [old.RowId!.Value], holder: null, s_completed, retry: null, Ct);
        Db.Time.Advance(TimeSpan.FromDays(6));
        var recent = await sut.AddAsync(Db.Business.Id, null, SyncTrigger.SyncNow, Ct);
        await sut.FinishAsync(Db.Business.Id, [recent.RowId!.Value], holder: null, s_completed, retry: null, Ct);
        var waiting = await sut.AddAsync(Db.Business.Id, null, SyncTrigger.AutoSync, Ct);
        Db.Time.Advance(TimeSpan.FromDays(2));

        var deleted = await sut.DeleteOldAsync(Ct);

        deleted.ShouldBe(1);
        (await RowsAsync()).Select(r => r.Id).ShouldBe([recent.RowId.Value, waiting.RowId!.Value]);
    }

    private DateTimeOffset Now => Db.Time.GetUtcNow();

    private async Task<long> AddAsync(SyncRequest row)
    {
        await using var scope = Db.CreateScope();
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        db.SyncRequests.Add(row);
        await db.SaveChangesAsync(Ct);
        return row.Id;
    }

    private async Task<List<SyncRequest>> RowsAsync()
    {
        await using var scope = Db.CreateScope();
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        return await db.SyncRequests.AsNoTracking().OrderBy(r => r.Id).ToListAsync(Ct);
    }
}

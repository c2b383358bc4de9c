using System.Collections.Concurrent;
using Jobkore.Core.Clients;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobkore.Tests.Core.Sync;

public sealed class SyncNotifierTests : DatabaseTest
{
    private static async Task<T> NextAsync<T>(BlockingCollection<T> events)
    {
        return await Task.Run(() => events.TryTake(out var e, TimeSpan.FromSeconds(10)) ? e : throw new TimeoutException("No event arrived within 10 s."));
    }

    [Fact]
    public async Task Publish_ReachesOnlyThatBusinesssSubscribers()
    {
        var sut = new SyncNotifier(NullLogger<SyncNotifier>.Instance);
        using var mine = new BlockingCollection<SyncEvent>();
        using var theirs = new BlockingCollection<SyncEvent>();
        using var a = sut.Subscribe(1, e => { mine.Add(e); return Task.CompletedTask; });
        using var b = sut.Subscribe(2, e => { theirs.Add(e); return Task.CompletedTask; });

        sut.Publish(new SyncRunProgress(1, 3, 10));

        (await NextAsync(mine)).ShouldBe(new SyncRunProgress(1, 3, 10));
        theirs.TryTake(out _, TimeSpan.FromMilliseconds(200)).ShouldBeFalse();
    }

    [Fact]
    public async Task Publish_AfterTheSubscriptionIsDisposed_IsNotDelivered_AndAFailingHandlerHarmsNoOther()
    {
        var sut = new SyncNotifier(NullLogger<SyncNotifier>.Instance);
        using var received = new BlockingCollection<SyncEvent>();
        var gone = sut.Subscribe(1, e => { received.Add(e); return Task.CompletedTask; });
        using var failing = sut.Subscribe(1, _ => throw new InvalidOperationException("a broken page"));
        using var other = new BlockingCollection<SyncEvent>();
        using var healthy = sut.Subscribe(1, e => { other.Add(e); return Task.CompletedTask; });
        gone.Dispose();

        sut.Publish(new SyncRunProgress(1, 1, 2));

        (await NextAsync(other)).ShouldBe(new SyncRunProgress(1, 1, 2));
        received.TryTake(out _, TimeSpan.FromMilliseconds(200)).ShouldBeFalse();
    }

    [Fact]
    public async Task ASubscriber_GetsItsEventsInTheOrderPublished_OneAtATime()
    {
        var sut = new SyncNotifier(NullLogger<SyncNotifier>.Instance);
        using var received = new BlockingCollection<SyncEvent>();
        var inHandler = 0;
        var overlapped = false;
        using var subscription = sut.Subscribe(1, async e =>
        {
            overlapped |= Interlocked.Increment(ref inHandler) > 1;
            await Task.Delay(1);
            Interlocked.Decrement(ref inHandler);
            received.Add(e);
        });

        for (var done = 0; done <= 50; done++)
        {
            sut.Publish(new SyncRunProgress(1, done, 50));
        }

        for (var done = 0; done <= 50; done++)
        {
            (await NextAsync(received)).ShouldBe(new SyncRunProgress(1, done, 50));
        }

        overlapped.ShouldBeFalse();
    }

    [Fact]
    public async Task SavingAClient_TellsSubscribersOfItsBusinessWhatChanged_OnceCommitted()
    {
        await using var scope = Db.CreateScope();
        using var received = new BlockingCollection<SyncEvent>();
        using var subscription = scope.Get<SyncNotifier>().Subscribe(Db.Business.Id, e => { received.Add(e); return Task.CompletedTask; });

        var id = await scope.Get<ClientService>().CreateAsync(Drafts.Client("Nora Quinn"), TestContext.Current.CancellationToken);

        var changed = (await NextAsync(received)).ShouldBeOfType<SyncStatusChanged>();
        changed.BusinessId.ShouldBe(Db.Business.Id);
        changed.Changes.ShouldBe([new SyncRecordChange(SyncEntityType.Client, id, SyncRecordChangeKind.Added, null)]);
        changed.Counts.ShouldBeNull(); // not connected to QuickBooks: no statuses, no counts
    }

    [Fact]
    public async Task ASaveInATransactionThatRollsBack_PublishesNothing_AndOneThatCommits_PublishesAtTheCommitOnly()
    {
        await using var scope = Db.CreateScope();
        using var received = new BlockingCollection<SyncEvent>();
        using var subscription = scope.Get<SyncNotifier>().Subscribe(Db.Business.Id, e => { received.Add(e); return Task.CompletedTask; });
        var factory = scope.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<Jobkore.Core.Data.JobkoreDbContext>>();
        var ct = TestContext.Current.CancellationToken;
        Jobkore.Core.Domain.Client NewClient(string name) => new(Db.Business.Id, Drafts.Client(name), TestServices.Now);

        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            await using (var rolledBack = await db.Database.BeginTransactionAsync(ct))
            {
                db.Clients.Add(NewClient("Rolled Back"));
                await db.SaveChangesAsync(ct);
                await rolledBack.RollbackAsync(ct);
            }

            db.ChangeTracker.Clear();
            await using (var abandoned = await db.Database.BeginTransactionAsync(ct))
            {
                db.Clients.Add(NewClient("Never Committed"));
                await db.SaveChangesAsync(ct);
            }

            db.ChangeTracker.Clear();
            var committed = NewClient("Committed");
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                db.Clients.Add(committed);
                await db.SaveChangesAsync(ct);
                received.TryTake(out var early, TimeSpan.FromMilliseconds(500)).ShouldBeFalse($"nothing is told before the commit, yet {early} was");
                await transaction.CommitAsync(ct);
            }

            var changed = (await NextAsync(received)).ShouldBeOfType<SyncStatusChanged>();
            changed.Changes.ShouldBe([new SyncRecordChange(SyncEntityType.Client, committed.Id, SyncRecordChangeKind.Added, null)], "only the committed save is told, once");
        }

        received.TryTake(out var late, TimeSpan.FromMilliseconds(300)).ShouldBeFalse($"the rolled-back and abandoned saves are never told, yet {late} was");
    }
}

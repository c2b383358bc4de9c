using System.Threading.Channels;
using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Backplane;
using Jobkore.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Jobkore.Tests.Core.Sync.Backplane;

/// <summary>Two app instances (a backplane and a notifier each) on one PostgreSQL database of the test's own.</summary>
[Trait("Database", "PostgreSqlOnly")]
public sealed class PostgresSyncBackplaneTests : IAsyncLifetime
{
    /// <summary>Every wait is bounded, so a failing test fails instead of hanging.</summary>
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    private readonly List<Instance> _instances = [];
    private PostgresScratchDatabase? _database;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PostgresScratchDatabase Database => _database!;

    public async ValueTask InitializeAsync() => _database = await PostgresScratchDatabase.CreateAsync(Ct);

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>An instance that listens: what the others publish from now on reaches its subscribers.</summary>
    private async Task<Instance> StartInstanceAsync()
    {
        var instance = new Instance(Database.ConnectionString);
        _instances.Add(instance);
        await instance.Backplane.StartAsync(Ct);
        await instance.Backplane.Listening.WaitAsync(s_wait, Ct);
        return instance;
    }

    /// <summary>Ends the backend of one of the instance's connections, as a database restart or a network cut would.</summary>
    private async Task TerminateAsync(string applicationName)
    {
        await using var connection = await Database.OpenAsync(Ct);
        await using var terminate = new NpgsqlCommand("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) AS ended", connection)
        {
            Parameters = { new() { Value = applicationName } },
        };
        (await terminate.ExecuteScalarAsync(Ct)).ShouldBe(1L);
    }

    /// <summary>The backends of the connections of that name.</summary>
    private async Task<List<int>> BackendsAsync(string applicationName)
    {
        await using var connection = await Database.OpenAsync(Ct);
        await using var query = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE application_name = $1", connection)
        {
            Parameters = { new() { Value = applicationName } },
        };
        var pids = new List<int>();
        await using var reader = await query.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            pids.Add(reader.GetInt32(0));
        }

        return pids;
    }

    [Fact]
    public async Task Publish_OnA_ReachesBsSubscribersOfEachBusinessInOrderOnce_AndAsOwnOnce()
    {
        var a = await StartInstanceAsync();
        var b = await StartInstanceAsync();
        var onB1 = b.Subscribe(1);
        var onB2 = b.Subscribe(2);
        var onA1 = a.Subscribe(1);
        var published = Enumerable.Range(1, 40).Select(n => new SyncRunProgress(n % 3 == 0 ? 2 : 1, n, 40)).ToList();

        foreach (var syncEvent in published)
        {
            a.Notifier.Publish(syncEvent);
        }

        await onB1.ShouldReceiveAsync([.. published.Where(e => e.BusinessId == 1)]);
        await onB2.ShouldReceiveAsync([.. published.Where(e => e.BusinessId == 2)]);
        await onA1.ShouldReceiveAsync([.. published.Where(e => e.BusinessId == 1)]);

        // B answers, and A's subscriber hears it after any echo of A's own events (a listener hears in commit order);
        // then A's last events reach B after any copy of the first ones: none came.
        var answer = new SyncRunProgress(1, 99, 100);
        b.Notifier.Publish(answer);
        await onA1.ShouldReceiveAsync([answer]);
        var last = new SyncRunFinished(1, new SyncRunResult(SyncRunOutcome.Completed, new SyncSummary(40, 0, 2)));
        a.Notifier.Publish(last);
        a.Notifier.Publish(last with { BusinessId = 2 });
        await onB1.ShouldReceiveAsync([answer, last]);
        await onB2.ShouldReceiveAsync([last with { BusinessId = 2 }]);
        await onA1.ShouldReceiveAsync([last]);
        new[] { onA1, onB1, onB2 }.ShouldAllBe(s => s.Waiting == 0);
    }

    [Fact]
    public async Task Publish_ASyncRunSendingTooLargeForOneNotify_ReachesBWhole()
    {
        var a = await StartInstanceAsync();
        var b = await StartInstanceAsync();
        var onB = b.Subscribe(1);
        var sending = new SyncRunSending(1, Enumerable.Range(1_000_000_000, 4_000).ToHashSet());
        SyncEventCodec.Encode(sending).Bodies.Count.ShouldBeGreaterThan(1);

        a.Notifier.Publish(sending);
        a.Notifier.Publish(new SyncRunProgress(1, 0, 4_000));

        var received = (await onB.NextAsync()).ShouldBeOfType<SyncRunSending>();
        received.BusinessId.ShouldBe(1);
        received.InvoiceIds.ShouldBe(sending.InvoiceIds, ignoreOrder: true);
        await onB.ShouldReceiveAsync([new SyncRunProgress(1, 0, 4_000)]);
    }

    [Fact]
    public async Task ListenerConnectionLost_EveryBusinessWithSubscribersReloads_AndLaterEventsStillArrive()
    {
        var a = await StartInstanceAsync();
        var b = await StartInstanceAsync();
        var onB1 = b.Subscribe(1);
        var onB2 = b.Subscribe(2);
        a.Notifier.Publish(new SyncRunProgress(1, 1, 3));
        await onB1.ShouldReceiveAsync([new SyncRunProgress(1, 1, 3)]);

        await TerminateAsync($"jobkore-sync-listener {b.Backplane.InstanceId}");

        await onB1.ShouldReceiveAsync([new SyncEventsMissed(1)]);
        await onB2.ShouldReceiveAsync([new SyncEventsMissed(2)]);
        a.Notifier.Publish(new SyncRunProgress(1, 3, 3));
        await onB1.ShouldReceiveAsync([new SyncRunProgress(1, 3, 3)]);
    }

    [Fact]
    public async Task SenderConnectionLost_WhatIsPublishedMeanwhile_ArrivesAfterItReconnects_InOrderOnce()
    {
        var a = await StartInstanceAsync();
        var b = await StartInstanceAsync();
        var onB = b.Subscribe(1);
        a.Notifier.Publish(new SyncRunProgress(1, 1, 4));
        await onB.ShouldReceiveAsync([new SyncRunProgress(1, 1, 4)]);

        var sender = $"jobkore-sync-sender {a.Backplane.InstanceId}";
        var before = (await BackendsAsync(sender)).ShouldHaveSingleItem();

        await TerminateAsync(sender);
        a.Notifier.Publish(new SyncRunProgress(1, 2, 4));
        a.Notifier.Publish(new SyncRunProgress(1, 3, 4));

        await onB.ShouldReceiveAsync([new SyncRunProgress(1, 2, 4), new SyncRunProgress(1, 3, 4)]);
        (await BackendsAsync(sender)).ShouldHaveSingleItem().ShouldNotBe(before);
        a.Notifier.Publish(new SyncRunProgress(1, 4, 4));
        await onB.ShouldReceiveAsync([new SyncRunProgress(1, 4, 4)]);
        onB.Waiting.ShouldBe(0);
    }

    [Fact]
    public async Task AFailingHandlerOnB_DoesNotStopItsOtherSubscribers()
    {
        var a = await StartInstanceAsync();
        var b = await StartInstanceAsync();
        using var failing = b.Notifier.Subscribe(1, _ => throw new InvalidOperationException("a broken page"));
        var healthy = b.Subscribe(1);

        a.Notifier.Publish(new SyncRunStarted(1, SyncTrigger.SyncNow));
        a.Notifier.Publish(new SyncRunProgress(1, 1, 1));

        await healthy.ShouldReceiveAsync([new SyncRunStarted(1, SyncTrigger.SyncNow), new SyncRunProgress(1, 1, 1)]);
    }

    [Fact]
    public async Task StopAsync_SendsWhatIsStillQueued()
    {
        var a = await StartInstanceAsync();
        var b = await StartInstanceAsync();
        var onB = b.Subscribe(1);
        var published = Enumerable.Range(1, 200).Select(n => new SyncRunProgress(1, n, 200)).ToList();

        foreach (var syncEvent in published)
        {
            a.Notifier.Publish(syncEvent);
        }

        await a.Backplane.StopAsync(Ct).WaitAsync(s_wait, Ct);

        await onB.ShouldReceiveAsync(published);
    }

    /// <summary>One app instance: its backplane, and its notifier in front of it.</summary>
    private sealed class Instance : IAsyncDisposable
    {
        private readonly List<IDisposable> _subscriptions = [];

        public Instance(string connectionString)
        {
            Backplane = new(connectionString, PostgresSyncBackplane.OutboxCapacity, TimeProvider.System, NullLogger<PostgresSyncBackplane>.Instance);
            Notifier = new(NullLogger<SyncNotifier>.Instance, Backplane);
        }

        public PostgresSyncBackplane Backplane { get; }

        public SyncNotifier Notifier { get; }

        public Subscriber Subscribe(int businessId)
        {
            var subscriber = new Subscriber();
            _subscriptions.Add(Notifier.Subscribe(businessId, subscriber.HandleAsync));
            return subscriber;
        }

        public async ValueTask DisposeAsync()
        {
            _subscriptions.ForEach(s => s.Dispose());
            await Backplane.StopAsync(CancellationToken.None);
            Backplane.Dispose();
        }
    }

    /// <summary>A page's handler: what it received, in order.</summary>
    private sealed class Subscriber
    {
        private readonly Channel<SyncEvent> _received = Channel.CreateUnbounded<SyncEvent>();

        /// <summary>Received and not yet looked at.</summary>
        public int Waiting => _received.Reader.Count;

        public Task HandleAsync(SyncEvent syncEvent) => _received.Writer.WriteAsync(syncEvent).AsTask();

        public async Task<SyncEvent> NextAsync() => await _received.Reader.ReadAsync(Ct).AsTask().WaitAsync(s_wait, Ct);

        /// <summary>The next events received are these, in this order.</summary>
        public async Task ShouldReceiveAsync(IReadOnlyList<SyncEvent> expected)
        {
            var received = new List<SyncEvent>();
            foreach (var _ in expected)
            {
                received.Add(await NextAsync());
            }

            received.ShouldBe(expected);
        }
    }
}

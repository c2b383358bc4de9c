using Jobkore.Core.Clients;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Sync;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>
/// The worker hosted in the app runs different businesses' runs side by side (docs/design.md §9): the demo business
/// on the sandbox's Acme company, and a second business on its second company. A business's requests to QuickBooks
/// are held where a test needs its run to stay going.
/// </summary>
public sealed class SyncWorkerConcurrencyTests
{
    private const string Acme = QuickBooksApp.AcmeRealm;
    private const string Second = QuickBooksApp.SecondRealm;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static bool IsFor(HttpRequestMessage request, string realmId) =>
        request.RequestUri!.AbsolutePath.Contains($"/company/{realmId}/", StringComparison.Ordinal);

    [Fact]
    public async Task ResyncOfOneInvoice_WhileAnotherBusinessRunsItsBacklog_CompletesUpToDateInItsCompany_WithoutWaiting()
    {
        var acme = new RealmHold(Acme);
        await using var app = new QuickBooksApp(beforeQboRequest: acme.BeforeRequestAsync);
        try
        {
            await app.ConnectAcmeAsync();
            var (northwind, invoiceId) = await AddConnectedBusinessWithAnInvoiceAsync(app);
            var runs = app.Services.GetRequiredService<SyncRuns>();
            acme.Start();
            var acmeRun = runs.RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
            await acme.Held.WaitAsync(TimeSpan.FromMinutes(1), Ct);

            var resync = await runs.RequestAsync(northwind, invoiceId, SyncTrigger.ResyncOne).WaitAsync(TimeSpan.FromMinutes(1), Ct);

            resync.Outcome.ShouldBe(SyncRunOutcome.Completed);
            resync.Summary.Failed.ShouldBe(0);
            acmeRun.IsCompleted.ShouldBeFalse("the demo business's run is still held mid-run");
            await using (var scope = app.SignedInScope("Olga Berg", admin: true, businessId: northwind))
            {
                (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ForInvoicesAsync(Second, [invoiceId], Ct))[invoiceId].ShouldBe(SyncStatus.UpToDate);
            }

            QuickBooksApp.Rows(await app.SandboxAsync(Second), "Invoice").Where(i => (string?)i["DocNumber"] == "NW-1").ShouldHaveSingleItem();
            (await QuickBooksOracle.MismatchesAsync(app, Second, northwind, Ct)).ShouldBeEmpty();

            acme.Release();
            (await acmeRun.WaitAsync(TimeSpan.FromMinutes(1), Ct)).Outcome.ShouldBe(SyncRunOutcome.Completed);
        }
        finally
        {
            acme.Release();
        }
    }

    [Fact]
    public async Task SyncNowOfTwoBusinesses_RunsBothAtOnce()
    {
        var armed = false;
        var acmeStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gaveUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = new QuickBooksApp(beforeQboRequest: async request =>
        {
            if (!Volatile.Read(ref armed))
            {
                return;
            }

            // Each run's requests wait until the other run has sent one: only runs that overlap get past this.
            var (mine, other) = IsFor(request, Acme) ? (acmeStarted, secondStarted) : (secondStarted, acmeStarted);
            mine.TrySetResult();
            var first = await Task.WhenAny(other.Task, gaveUp.Task, Task.Delay(TimeSpan.FromMinutes(1), Ct));
            if (first != other.Task)
            {
                // A guard, not a pause: one business at a time, the other run could never start; let them go one after the other.
                gaveUp.TrySetResult();
            }
        });
        await app.ConnectAcmeAsync();
        var (northwind, _) = await AddConnectedBusinessWithAnInvoiceAsync(app);
        var runs = app.Services.GetRequiredService<SyncRuns>();
        Volatile.Write(ref armed, true);

        var acme = runs.RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
        var second = runs.RequestAsync(northwind, null, SyncTrigger.SyncNow);
        var results = await Task.WhenAll(acme, second).WaitAsync(TimeSpan.FromMinutes(3), Ct);

        gaveUp.Task.IsCompleted.ShouldBeFalse("each run sent its first request while the other's was held, so both had started before either finished");
        results.ShouldAllBe(r => r.Outcome == SyncRunOutcome.Completed);
        results[1].Summary.Failed.ShouldBe(0);
        QuickBooksApp.Rows(await app.SandboxAsync(Second), "Invoice").Where(i => (string?)i["DocNumber"] == "NW-1").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task ResyncOfABusinessWhoseRunGoesOn_WaitsForItInsteadOfAnsweringAlreadyRunning()
    {
        var acme = new RealmHold(Acme);
        await using var app = new QuickBooksApp(beforeQboRequest: acme.BeforeRequestAsync);
        try
        {
            await app.ConnectAcmeAsync();
            var runs = app.Services.GetRequiredService<SyncRuns>();
            acme.Start();
            var syncNow = runs.RequestAsync(app.BusinessId, null, SyncTrigger.SyncNow);
            await acme.Held.WaitAsync(TimeSpan.FromMinutes(1), Ct);

            var resync = runs.RequestAsync(app.BusinessId, await AnInvoiceOfMariaAsync(app), SyncTrigger.ResyncOne);
            acme.Release();

            (await syncNow.WaitAsync(TimeSpan.FromMinutes(1), Ct)).Outcome.ShouldBe(SyncRunOutcome.Completed);
            (await resync.WaitAsync(TimeSpan.FromMinutes(1), Ct)).Outcome.ShouldBe(SyncRunOutcome.Completed, "it ran after the business's run, under the lease that run gave back");
        }
        finally
        {
            acme.Release();
        }
    }

    /// <summary>"Northwind Electric" with one sent invoice (NW-1), connected to the sandbox's second company: its id and the invoice's.</summary>
    private static async Task<(int BusinessId, int InvoiceId)> AddConnectedBusinessWithAnInvoiceAsync(QuickBooksApp app)
    {
        var northwind = await app.AddBusinessAsync("Northwind Electric");
        int invoiceId;
        await using (var scope = app.SignedInScope("Olga Berg", admin: true, businessId: northwind))
        {
            var client = await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(Drafts.Client("Harbor Cafe"), Ct);
            invoiceId = await scope.ServiceProvider.GetRequiredService<InvoiceService>().CreateAsync(Drafts.Invoice(client, "NW-1", 0m, Drafts.Line(2, 95m)), markSent: true, Ct);
        }

        using var http = app.Client("Olga Berg", admin: true, businessId: northwind);
        (await QuickBooksApp.ConnectAsync(http, Second)).ShouldBe("/settings/integrations?quickbooks=connected");
        return (northwind, invoiceId);
    }

    private static async Task<int> AnInvoiceOfMariaAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        return await db.Invoices.Where(i => i.Status == InvoiceStatus.Sent && i.Client!.DisplayName == "Maria O'Brien").Select(i => i.Id).FirstAsync(Ct);
    }

    /// <summary>Once started, holds every QBO request of one company until released: its run stays going for as long as a test needs.</summary>
    private sealed class RealmHold(string realmId)
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _holding;

        /// <summary>Completes when the first request of the company is being held.</summary>
        public Task Held => _held.Task;

        public void Start() => Volatile.Write(ref _holding, true);

        public void Release() => _release.TrySetResult();

        public async Task BeforeRequestAsync(HttpRequestMessage request)
        {
            if (Volatile.Read(ref _holding) && IsFor(request, realmId))
            {
                _held.TrySetResult();
                await _release.Task;
            }
        }
    }
}

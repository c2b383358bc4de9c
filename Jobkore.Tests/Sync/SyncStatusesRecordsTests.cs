using Jobkore.Core.Catalog;
using Jobkore.Core.Clients;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>
/// The list statuses of clients, catalog items and payments (<see cref="SyncStatuses.ViewsAsync"/>), after real runs
/// of the engine against the built-in sandbox, on the demo business.
/// </summary>
public sealed class SyncStatusesRecordsTests : IAsyncLifetime
{
    private const string ClientWaits = "Sent to QuickBooks with its first invoice.";
    private const string ItemWaits = "Sent to QuickBooks with the first invoice that uses it.";
    private QuickBooksApp _app = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _app = new QuickBooksApp();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IReadOnlyDictionary<int, SyncView>?> ViewsAsync(SyncEntityType type, params int[] ids)
    {
        await using var scope = _app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ViewsAsync(type, ids, Ct);
    }

    private async Task<SyncView> ViewAsync(SyncEntityType type, int id) => (await ViewsAsync(type, id)).ShouldNotBeNull()[id];

    private async Task<T> WithDbAsync<T>(Func<JobkoreDbContext, Task<T>> read)
    {
        await using var scope = _app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        return await read(db);
    }

    private async Task SyncAllAsync()
    {
        await using var scope = _app.SignedInScope();
        await scope.ServiceProvider.GetRequiredService<SyncEngine>().SyncAllAsync(Ct);
    }

    /// <summary>A client (not the vendor clash), one of its catalog items and one of its payments, all on a sent invoice.</summary>
    private Task<(int Client, int Item, int Payment)> SentRecordsAsync() => WithDbAsync(async db =>
    {
        var invoice = await db.Invoices.Where(i => i.Status != InvoiceStatus.Draft && i.Status != InvoiceStatus.Void && i.Client!.DisplayName != "Bob's Burgers"
                && i.Payments.Any() && i.Lines.Any(l => l.CatalogItemId != null))
            .Select(i => new { i.ClientId, Item = i.Lines.First(l => l.CatalogItemId != null).CatalogItemId!.Value, Payment = i.Payments.Select(p => p.Id).First() })
            .FirstAsync(Ct);
        return (invoice.ClientId, invoice.Item, invoice.Payment);
    });

    [Fact]
    public async Task ViewsAsync_NotConnectedOrDisconnected_IsNull_AndInvoicesAreRefused()
    {
        var (client, item, payment) = await SentRecordsAsync();

        (await ViewsAsync(SyncEntityType.Client, client)).ShouldBeNull();
        (await ViewsAsync(SyncEntityType.CatalogItem, item)).ShouldBeNull();
        (await ViewsAsync(SyncEntityType.Payment, payment)).ShouldBeNull();
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => ViewsAsync(SyncEntityType.Invoice, 1));

        await _app.ConnectAcmeAsync();
        (await ViewsAsync(SyncEntityType.Client, client)).ShouldNotBeNull();
        await using (var scope = _app.SignedInScope())
        {
            await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().DisconnectAsync(keepMappings: true, Ct);
        }

        (await ViewsAsync(SyncEntityType.Client, client)).ShouldBeNull();
    }

    [Fact]
    public async Task ViewsAsync_ConnectedNeverSent_ClientsAndItemsSayTheyGoWithAnInvoice_PaymentsJustWait()
    {
        await _app.ConnectAcmeAsync();
        var (client, item, payment) = await SentRecordsAsync();

        (await ViewAsync(SyncEntityType.Client, client)).ShouldBe(new SyncView(SyncStatus.NotSynced, ClientWaits, null));
        (await ViewAsync(SyncEntityType.CatalogItem, item)).ShouldBe(new SyncView(SyncStatus.NotSynced, ItemWaits, null));
        (await ViewAsync(SyncEntityType.Payment, payment)).ShouldBe(new SyncView(SyncStatus.NotSynced, null, null));
    }

    [Fact]
    public async Task ViewsAsync_AfterASync_SentRecordsAreUpToDate_TheVendorClashFailedWithItsMessage_AndANewClientWaits()
    {
        await _app.ConnectAcmeAsync();
        var (client, item, payment) = await SentRecordsAsync();
        var bob = await WithDbAsync(db => db.Clients.Where(c => c.DisplayName == "Bob's Burgers").Select(c => c.Id).SingleAsync(Ct));

        await SyncAllAsync();
        int newClient;
        await using (var scope = _app.SignedInScope())
        {
            newClient = await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(Drafts.Client("Ada Lovelace"), Ct);
        }

        var clients = (await ViewsAsync(SyncEntityType.Client, client, bob, newClient)).ShouldNotBeNull();
        clients[client].Status.ShouldBe(SyncStatus.UpToDate);
        clients[client].Message.ShouldBeNull();
        clients[client].QboId.ShouldNotBeNull();
        clients[bob].FailedAt.ShouldNotBeNull();
        (clients[bob] with { FailedAt = null }).ShouldBe(new SyncView(SyncStatus.Failed,
            "QuickBooks already has a vendor or employee named 'Bob's Burgers'. Rename the client in Jobkore or in QuickBooks, then retry.", null) { ErrorCode = "6240" });
        clients[newClient].ShouldBe(new SyncView(SyncStatus.NotSynced, ClientWaits, null));
        (await ViewAsync(SyncEntityType.CatalogItem, item)).Status.ShouldBe(SyncStatus.UpToDate);
        var paid = await ViewAsync(SyncEntityType.Payment, payment);
        paid.Status.ShouldBe(SyncStatus.UpToDate);
        paid.QboId.ShouldNotBeNull();
    }

    [Fact]
    public async Task ViewsAsync_EditedAfterASync_IsEdited()
    {
        await _app.ConnectAcmeAsync();
        var (client, item, _) = await SentRecordsAsync();
        await SyncAllAsync();

        await using (var scope = _app.SignedInScope())
        {
            var clients = scope.ServiceProvider.GetRequiredService<ClientService>();
            await clients.UpdateAsync(client, (await clients.GetAsync(client, Ct))! with { Phone = "(312) 555-0199" }, Ct);
            var catalog = scope.ServiceProvider.GetRequiredService<CatalogService>();
            var details = (await catalog.GetAsync(item, Ct))!;
            await catalog.UpdateAsync(item, details with { UnitPrice = details.UnitPrice + 1m }, Ct);
        }

        (await ViewAsync(SyncEntityType.Client, client)).Status.ShouldBe(SyncStatus.Edited);
        (await ViewAsync(SyncEntityType.CatalogItem, item)).Status.ShouldBe(SyncStatus.Edited);
    }
}

using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// Cuts a run's backlog into pages of at most <c>pageSize</c> invoices, or payments, or clients and items, and loads
/// them one after another, so a run holds a few pages whatever the size of its backlog: first the waiting invoices
/// with their payments, then the payments of invoices already in QuickBooks, then (for a run of everything) the
/// waiting clients and items no invoice needed. A client or item goes with the first page that needs it — also one
/// an invoice was given since the backlog was listed, which then joins the run's total. A loaded record that no
/// longer waits (its content is what QuickBooks has, by the hash of what was loaded) leaves the total, and so do, at
/// the end of a run of chosen invoices, the clients and items none of them needed after all. Pages are loaded on a
/// context of their own, never the recorder's, so one loads while another is sent.
/// </summary>
internal sealed class SyncPages(JobkoreDbContext db, SyncBacklog backlog, SyncStepContext run, int pageSize)
{
    private readonly HashSet<int> _clientsTaken = [];
    private readonly HashSet<int> _itemsTaken = [];
    private List<int>? _otherPayments;
    private int _invoicesTaken;
    private int _otherPaymentsTaken;
    private bool _unneededLeftOut;

    private SyncRecorder Recorder => run.Recorder;

    /// <summary>The next page, its look-ups started with <paramref name="lookUps"/>; null when the backlog is done.</summary>
    public async Task<SyncPage?> NextAsync(CancellationToken lookUps, CancellationToken cancellationToken)
    {
        if (_invoicesTaken < backlog.InvoiceIds.Count)
        {
            var ids = backlog.InvoiceIds.Skip(_invoicesTaken).Take(pageSize).ToList();
            _invoicesTaken += ids.Count;
            return await InvoicePageAsync(ids, lookUps, cancellationToken);
        }

        if (_otherPayments is null)
        {
            var invoicesInRun = backlog.InvoiceIds.ToHashSet();
            _otherPayments = [.. backlog.PaymentsByInvoice.Where(g => !invoicesInRun.Contains(g.Key)).SelectMany(g => g).Order()];
        }

        if (_otherPaymentsTaken < _otherPayments.Count)
        {
            var ids = _otherPayments.Skip(_otherPaymentsTaken).Take(pageSize).ToList();
            _otherPaymentsTaken += ids.Count;
            return await PaymentPageAsync(ids, lookUps, cancellationToken);
        }

        if (!backlog.Everything)
        {
            if (!_unneededLeftOut)
            {
                _unneededLeftOut = true;
                await Recorder.AdjustTotalAsync(-(backlog.ClientIds.Count(id => !_clientsTaken.Contains(id)) + backlog.ItemIds.Count(id => !_itemsTaken.Contains(id))));
            }

            return null;
        }

        var clients = backlog.ClientIds.Where(id => !_clientsTaken.Contains(id)).Order().Take(pageSize).ToList();
        var items = backlog.ItemIds.Where(id => !_itemsTaken.Contains(id)).Order().Take(pageSize - clients.Count).ToList();
        return clients.Count + items.Count == 0 ? null : await PageAsync(items, clients, [], [], new Dictionary<int, PaidInvoice>(), lookUps, cancellationToken);
    }

    private async Task<SyncPage> InvoicePageAsync(List<int> ids, CancellationToken lookUps, CancellationToken cancellationToken)
    {
        var order = ids.Select((id, index) => (id, index)).ToDictionary(x => x.id, x => x.index);
        var loaded = (await db.Invoices.AsNoTracking().Include(i => i.Lines).Include(i => i.Client).Where(i => ids.Contains(i.Id))
            .AsSplitQuery().ToListAsync(cancellationToken)).OrderBy(i => order[i.Id]).ToList();
        var invoices = await StillWaitingAsync(ids.Count, loaded, i => SyncBacklog.Waits(Recorder, SyncEntityType.Invoice, i.Id, SyncContent.Hash(i),
            neverNeedsSending: i.Status == InvoiceStatus.Void && i.SentAt == null));

        var paymentIds = ids.SelectMany(id => backlog.PaymentsByInvoice[id]).ToList();
        var payments = await LoadPaymentsAsync(paymentIds, cancellationToken);
        var paid = loaded.ToDictionary(i => i.Id, i => new PaidInvoice(i.Id, i.Number, i.ClientId));

        // An invoice voided before it ever reached QuickBooks needs neither its client nor its items.
        var sending = invoices.Where(i => i.Status != InvoiceStatus.Void || Recorder.QboIdOf(SyncEntityType.Invoice, i.Id) is not null).ToList();
        var clientIds = sending.Select(i => i.ClientId).Concat(payments.Select(p => paid[p.InvoiceId].ClientId));
        var itemIds = sending.SelectMany(i => i.Lines).Where(l => l.CatalogItemId != null).Select(l => l.CatalogItemId!.Value);
        return await PageAsync(Take(itemIds, _itemsTaken), Take(clientIds, _clientsTaken), invoices, payments, paid, lookUps, cancellationToken);
    }

    private async Task<SyncPage> PaymentPageAsync(List<int> ids, CancellationToken lookUps, CancellationToken cancellationToken)
    {
        var payments = await LoadPaymentsAsync(ids, cancellationToken);
        var invoiceIds = payments.Select(p => p.InvoiceId).Distinct().ToList();
        var paid = await db.Invoices.AsNoTracking().Where(i => invoiceIds.Contains(i.Id)).Select(i => new PaidInvoice(i.Id, i.Number, i.ClientId))
            .ToDictionaryAsync(i => i.Id, cancellationToken);
        return await PageAsync([], Take(payments.Select(p => paid[p.InvoiceId].ClientId), _clientsTaken), [], payments, paid, lookUps, cancellationToken);
    }

    private async Task<List<Payment>> LoadPaymentsAsync(List<int> ids, CancellationToken cancellationToken)
    {
        var loaded = await db.Payments.AsNoTracking().Where(p => ids.Contains(p.Id)).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return await StillWaitingAsync(ids.Count, loaded, p => SyncBacklog.Waits(Recorder, SyncEntityType.Payment, p.Id, SyncContent.Hash(p)));
    }

    /// <summary>Loads the page's clients and items and starts asking QuickBooks what it has of the page's names and numbers.</summary>
    private async Task<SyncPage> PageAsync(List<int> itemIds, List<int> clientIds, List<Invoice> invoices, List<Payment> payments, IReadOnlyDictionary<int, PaidInvoice> paid,
        CancellationToken lookUps, CancellationToken cancellationToken)
    {
        _itemsTaken.UnionWith(itemIds);
        _clientsTaken.UnionWith(clientIds);
        var items = await StillWaitingAsync(itemIds.Count(backlog.ItemIds.Contains), await db.CatalogItems.AsNoTracking().Where(c => itemIds.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync(cancellationToken),
            c => SyncBacklog.Waits(Recorder, SyncEntityType.CatalogItem, c.Id, SyncContent.Hash(c)));
        var clients = await StillWaitingAsync(clientIds.Count(backlog.ClientIds.Contains), await db.Clients.AsNoTracking().Where(c => clientIds.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync(cancellationToken),
            c => SyncBacklog.Waits(Recorder, SyncEntityType.Client, c.Id, SyncContent.Hash(c)));

        var unlinked = clients.Where(c => Recorder.QboIdOf(SyncEntityType.Client, c.Id) is null).Select(c => c.Id).ToList();
        var matches = unlinked.Count == 0 ? new Dictionary<int, CustomerMatch>()
            : await db.CustomerMatches.AsNoTracking().Where(m => m.RealmId == run.Company.RealmId && unlinked.Contains(m.ClientId)).ToDictionaryAsync(m => m.ClientId, cancellationToken);
        var lookups = run.Lookups;
        return new SyncPage
        {
            Items = items,
            Clients = clients,
            Invoices = invoices,
            Payments = payments,
            PaidInvoices = paid,
            CustomerMatches = matches,
            ExistingItems = lookups.ByValueAsync("Item", "Name", items.Where(i => Recorder.QboIdOf(SyncEntityType.CatalogItem, i.Id) is null).Select(i => QboNames.ItemName(i.Name)),
                (QboQueryResponse r) => r.Item, i => i.Name, lookUps),
            ExistingCustomers = lookups.ByValueAsync("Customer", "DisplayName",
                clients.Where(c => Recorder.QboIdOf(SyncEntityType.Client, c.Id) is null).Select(c => QboNames.DisplayName(c.DisplayName)),
                (QboQueryResponse r) => r.Customer, c => c.DisplayName, lookUps),
            ExistingInvoices = lookups.ByValueAsync("Invoice", "DocNumber", invoices.Where(i => Recorder.QboIdOf(SyncEntityType.Invoice, i.Id) is null).Select(i => i.Number),
                (QboQueryResponse r) => r.Invoice, i => i.DocNumber, lookUps),
        };
    }

    /// <summary>The ids of <paramref name="needed"/> that no earlier page took (whether they wait is known once they are loaded).</summary>
    private static List<int> Take(IEnumerable<int> needed, HashSet<int> taken) => [.. needed.Distinct().Where(id => !taken.Contains(id))];

    /// <summary>
    /// The loaded records that still wait. The run's total counted <paramref name="counted"/> of them: the others
    /// that wait join it, and those that no longer wait (or are gone) leave it.
    /// </summary>
    private async Task<List<T>> StillWaitingAsync<T>(int counted, List<T> loaded, Func<T, bool> waits)
    {
        var waiting = loaded.Where(waits).ToList();
        await Recorder.AdjustTotalAsync(waiting.Count - counted);
        return waiting;
    }
}

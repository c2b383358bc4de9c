using System.Globalization;
using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Mappings;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.QuickBooks.Queries;
using Jobkore.Core.QuickBooks.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.Sync;

/// <summary>
/// Sends the current business's waiting records to its QuickBooks company (DESIGN.md §4, facts §2–§5): catalog items
/// and clients first (linked by name when QuickBooks has them, never duplicated), then invoices (linked by number when
/// they are the same invoice), voids, then payments. Every create carries a requestid saved before the call; the hash
/// recorded as pushed is the hash of the snapshot sent, so an edit made meanwhile stays "Edited". One record's failure
/// never stops the others; a record whose dependency failed fails with a message naming it.
/// <para>
/// Throughput (facts §3, README "Performance"): the look-ups go out together at the start; each step's writes go over
/// up to 10 lanes at once, in batches of up to <see cref="SyncOptions.BatchSize"/> while the minute allows batch
/// requests and as single requests beside them, paced by <see cref="QboRateLimiter"/> so Intuit never answers 429.
/// </para>
/// </summary>
public sealed partial class SyncEngine(
    IDbContextFactory<JobkoreDbContext> dbFactory,
    ICurrentBusiness currentBusiness,
    QuickBooksConnectionService connections,
    QboApiClient qbo,
    QboRateLimiter limiter,
    QuickBooksSettingsService settings,
    SyncNotifier notifier,
    Microsoft.Extensions.Options.IOptions<SyncOptions> options,
    TimeProvider timeProvider,
    ILogger<SyncEngine> logger)
{
    /// <summary>At most this many names or numbers go into one <c>IN (…)</c> look-up query.</summary>
    private const int LookupChunk = 40;

    /// <summary>
    /// And at most this many characters of quoted values, URL-encoded: the statement travels in the query string, and
    /// servers refuse long request lines (Kestrel, which serves the sandbox, at 8 KB). Intuit publishes no limit (facts §2).
    /// </summary>
    private const int LookupChunkLength = 4_000;

    /// <summary>Sends every waiting record of the business.</summary>
    public Task<SyncSummary> SyncAllAsync(CancellationToken cancellationToken) => RunAsync(null, cancellationToken);

    /// <summary>Re-sync or retry of one invoice: it, what it needs (client, items), and its payments.</summary>
    public Task<SyncSummary> SyncInvoiceAsync(int invoiceId, CancellationToken cancellationToken) => RunAsync([invoiceId], cancellationToken);

    /// <summary>"Sync selected": these invoices, what they need (clients, items), and their payments.</summary>
    public Task<SyncSummary> SyncInvoicesAsync(IReadOnlyCollection<int> invoiceIds, CancellationToken cancellationToken) => RunAsync(invoiceIds, cancellationToken);

    /// <summary>
    /// "Re-create in QuickBooks" for an invoice deleted there (610): forgets its QBO id and sends it again, linking
    /// an invoice of the same number and customer if QuickBooks still has one.
    /// </summary>
    public async Task<SyncSummary> RecreateInvoiceAsync(int invoiceId, CancellationToken cancellationToken)
    {
        var company = await connections.GetCompanyAsync(cancellationToken);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var record = await db.SyncRecords.SingleOrDefaultAsync(r => r.RealmId == company.RealmId && r.EntityType == SyncEntityType.Invoice && r.EntityId == invoiceId, cancellationToken);
            if (record is not null)
            {
                record.Unlink();
                db.SyncAttempts.Add(new SyncAttempt(record.BusinessId, company.RealmId, SyncEntityType.Invoice, invoiceId, timeProvider.GetUtcNow(), "Unlink", true, null, null,
                    "Re-create in QuickBooks: the link to the deleted QuickBooks invoice was removed.", null));
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        return await RunAsync([invoiceId], cancellationToken);
    }

    private async Task<SyncSummary> RunAsync(IReadOnlyCollection<int>? onlyInvoiceIds, CancellationToken cancellationToken)
    {
        var company = await connections.GetCompanyAsync(cancellationToken);
        var chosen = await settings.GetAsync(company.RealmId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using var run = new Run(options.Value.BatchSize, qbo, limiter, notifier, timeProvider, logger, db, company, chosen, currentBusiness.Profile.Id);
        await run.LoadAsync(onlyInvoiceIds, cancellationToken);
        await run.PushAsync(cancellationToken);

        var connection = await db.QuickBooksConnections.SingleAsync(cancellationToken);
        connection.RecordSync(timeProvider.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
        LogRunFinished(logger, company.RealmId, run.Synced, run.Failed, run.Requests);
        return new SyncSummary(run.Synced, run.Failed, run.Requests, run.TransientFailures);
    }

    /// <summary>Values for one <c>IN (…)</c> each: at most <see cref="LookupChunk"/> of them and <see cref="LookupChunkLength"/> characters once encoded.</summary>
    internal static IEnumerable<List<string>> LookupChunks(IEnumerable<string> values)
    {
        var chunk = new List<string>();
        var length = 0;
        foreach (var value in values)
        {
            var encoded = Uri.EscapeDataString(QboQuery.Quote(value) + ", ").Length;
            if (chunk.Count > 0 && (chunk.Count == LookupChunk || length + encoded > LookupChunkLength))
            {
                yield return chunk;
                (chunk, length) = ([], 0);
            }

            chunk.Add(value);
            length += encoded;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync run for QuickBooks company {RealmId}: {Synced} sent, {Failed} failed, {Requests} requests")]
    private static partial void LogRunFinished(ILogger logger, string realmId, int synced, int failed, int requests);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send {EntityType} {EntityId} to QuickBooks company {RealmId}: code {Code}, intuit_tid {IntuitTid}")]
    private static partial void LogPushFailed(ILogger logger, SyncEntityType entityType, int entityId, string realmId, string? code, string? intuitTid);

    /// <summary>One run's state: what waits, the sync records, and the QBO look-ups made once and reused.</summary>
    private sealed partial class Run(int batchSize, QboApiClient qbo, QboRateLimiter limiter, SyncNotifier notifier, TimeProvider time, ILogger logger, JobkoreDbContext db,
        QboCompany company, QuickBooksSettingsView chosen, int businessId) : IDisposable
    {
        /// <summary>Customers this run created (not linked): QuickBooks can hold no payment of theirs that Jobkore does not know.</summary>
        private readonly HashSet<string> _newCustomers = [];
        private Dictionary<(SyncEntityType, int), SyncRecord> _records = [];
        private List<CatalogItem> _items = [];
        private List<Client> _clients = [];
        private List<Invoice> _invoices = [];
        private List<Payment> _payments = [];
        private List<SyncRecord> _deletedPayments = [];
        private Task<Dictionary<string, string>>? _paymentMethods;
        private Task<string>? _incomeAccount;
        private int _total;
        private int _done;
        private int _requests;

        /// <summary>The QuickBooks names this run sends or links ("Customer:name" → the name), compared as QuickBooks does: ignoring case.</summary>
        private readonly Dictionary<string, string> _namesInRun = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>The QuickBooks records already linked to a Jobkore record, built at the first link by name.</summary>
        private HashSet<(SyncEntityType, string)>? _linkedQboIds;

        public int Synced { get; private set; }

        public int Failed { get; private set; }

        public int Requests => Volatile.Read(ref _requests);

        public int TransientFailures { get; private set; }

        private DateTimeOffset Now => time.GetUtcNow();

        public void Dispose() => _dbGate.Dispose();

        public async Task LoadAsync(IReadOnlyCollection<int>? onlyInvoiceIds, CancellationToken cancellationToken)
        {
            // Not tracked: a record is attached when the run changes it (Track), so each save looks only at what changed.
            _records = await db.SyncRecords.AsNoTracking().Where(r => r.RealmId == company.RealmId).ToDictionaryAsync(r => (r.EntityType, r.EntityId), cancellationToken);
            await ResendPendingBatchesAsync(cancellationToken);

            // SQL picks the candidates from the stored hashes, so a run loads only what waits; the hash of the loaded
            // snapshot (what is sent) has the last word.
            var invoices = await SyncStatuses.WaitingInvoices(db, company.RealmId).AsNoTracking().Include(i => i.Lines).Include(i => i.Client)
                .Where(i => onlyInvoiceIds == null || onlyInvoiceIds.Contains(i.Id))
                .AsSplitQuery().ToListAsync(cancellationToken);
            _invoices = [.. invoices.Where(i => Waits(SyncEntityType.Invoice, i.Id, SyncContent.Hash(i), neverNeedsSending: i.Status == InvoiceStatus.Void))];

            var payments = await SyncStatuses.WaitingPayments(db, company.RealmId).AsNoTracking()
                .Where(p => onlyInvoiceIds == null || onlyInvoiceIds.Contains(p.InvoiceId)).ToListAsync(cancellationToken);
            _payments = [.. payments.Where(p => Waits(SyncEntityType.Payment, p.Id, SyncContent.Hash(p)))];
            if (onlyInvoiceIds is null)
            {
                var mappedPayments = _records.Values.Where(r => r.EntityType == SyncEntityType.Payment && r.QboId != null).Select(r => r.EntityId).ToList();
                var stillThere = (await db.Payments.Where(p => mappedPayments.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken)).ToHashSet();
                _deletedPayments = [.. _records.Values.Where(r => r.EntityType == SyncEntityType.Payment && r.QboId != null && !stillThere.Contains(r.EntityId)
                    && !_inUnansweredBatch.Contains((r.EntityType, r.EntityId)))];
            }

            // A payment needs its invoice in QuickBooks first; an invoice needs its client and items.
            var payingInvoiceIds = _payments.Select(p => p.InvoiceId).Except(_invoices.Select(i => i.Id)).ToList();
            var clientIds = _invoices.Select(i => i.ClientId).ToHashSet();
            var itemIds = _invoices.SelectMany(i => i.Lines).Where(l => l.CatalogItemId != null).Select(l => l.CatalogItemId!.Value).ToHashSet();
            var mappedClients = _records.Keys.Where(k => k.Item1 == SyncEntityType.Client).Select(k => k.Item2).ToList();
            var mappedItems = _records.Keys.Where(k => k.Item1 == SyncEntityType.CatalogItem).Select(k => k.Item2).ToList();
            if (onlyInvoiceIds is null)
            {
                clientIds.UnionWith(mappedClients);
                itemIds.UnionWith(mappedItems);
            }

            var payingInvoices = await db.Invoices.AsNoTracking().Where(i => payingInvoiceIds.Contains(i.Id)).Select(i => i.ClientId).ToListAsync(cancellationToken);
            clientIds.UnionWith(payingInvoices);
            _clients = [.. (await db.Clients.AsNoTracking().Where(c => clientIds.Contains(c.Id)).ToListAsync(cancellationToken))
                .Where(c => Waits(SyncEntityType.Client, c.Id, SyncContent.Hash(c)))];
            _items = [.. (await db.CatalogItems.AsNoTracking().Where(c => itemIds.Contains(c.Id)).ToListAsync(cancellationToken))
                .Where(c => Waits(SyncEntityType.CatalogItem, c.Id, SyncContent.Hash(c)))];
            _total = _items.Count + _clients.Count + _invoices.Count + _payments.Count + _deletedPayments.Count;
            notifier.Publish(new SyncRunSending(businessId, _invoices.Select(i => i.Id).ToHashSet()));
            notifier.Publish(new SyncRunProgress(businessId, 0, _total));
        }

        public async Task PushAsync(CancellationToken cancellationToken)
        {
            // What QuickBooks already has does not depend on what this run sends: ask it all at once, then send step by step.
            using var lookUps = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var items = LookUpAsync("Item", "Name", _items.Where(i => QboIdOf(SyncEntityType.CatalogItem, i.Id) is null).Select(i => QboNames.ItemName(i.Name)),
                (QboQueryResponse r) => r.Item, i => i.Name, lookUps.Token);
            var customers = LookUpAsync("Customer", "DisplayName", _clients.Where(c => QboIdOf(SyncEntityType.Client, c.Id) is null).Select(c => QboNames.DisplayName(c.DisplayName)),
                (QboQueryResponse r) => r.Customer, c => c.DisplayName, lookUps.Token);
            var invoices = LookUpAsync("Invoice", "DocNumber", _invoices.Where(i => QboIdOf(SyncEntityType.Invoice, i.Id) is null && i.Status != InvoiceStatus.Void).Select(i => i.Number),
                (QboQueryResponse r) => r.Invoice, i => i.DocNumber, lookUps.Token);
            if (_items.Any(i => QboIdOf(SyncEntityType.CatalogItem, i.Id) is null))
            {
                _incomeAccount = IncomeAccountAsync(lookUps.Token);
            }

            if (_payments.Count > 0)
            {
                _paymentMethods = PaymentMethodsAsync(lookUps.Token);
            }

            try
            {
                await PushItemsAsync(await items, cancellationToken);
                await PushClientsAsync(await customers, cancellationToken);

                // Before any invoice: QuickBooks refuses to void an invoice that still has a payment applied, and a payment
                // removed in Jobkore (so that its invoice could be voided) is still applied there until this voids it.
                await VoidDeletedPaymentsAsync(cancellationToken);
                await PushInvoicesAsync(await invoices, cancellationToken);
                await PushPaymentsAsync(cancellationToken);
            }
            finally
            {
                // A step that failed leaves the other look-ups unneeded: stop them, and wait until they have let go.
                await lookUps.CancelAsync();
                await Task.WhenAll(items, customers, invoices, _incomeAccount ?? Task.CompletedTask, _paymentMethods ?? Task.CompletedTask)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        private bool Waits(SyncEntityType type, int id, string hash, bool neverNeedsSending = false) =>
            !_inUnansweredBatch.Contains((type, id)) && SyncStatuses.Derive(_records.GetValueOrDefault((type, id)), hash, neverNeedsSending) is SyncStatus.NotSynced or SyncStatus.Edited or SyncStatus.Failed;

        /// <summary>The record's sync record; a new one is written with the first change to it (see <see cref="Track"/>).</summary>
        private SyncRecord RecordFor(SyncEntityType type, int id)
        {
            if (!_records.TryGetValue((type, id), out var record))
            {
                record = new SyncRecord(businessId, company.RealmId, type, id);
                _records[(type, id)] = record;
            }

            return record;
        }

        /// <summary>Deletes a sync record (if it was ever written) and forgets it.</summary>
        private void Forget(SyncRecord record)
        {
            if (record.Id != 0 || db.Entry(record).State == EntityState.Added)
            {
                db.SyncRecords.Remove(record);
            }

            _records.Remove((record.EntityType, record.EntityId));
        }

        private string? QboIdOf(SyncEntityType type, int id) => _records.GetValueOrDefault((type, id))?.QboId;

        // ---- Catalog items ----

        private async Task PushItemsAsync(Dictionary<string, QboItem> existing, CancellationToken cancellationToken)
        {
            foreach (var item in _items)
            {
                var name = QboNames.ItemName(item.Name);
                var what = SyncSubject.Named("catalog item", name);
                var body = new QboItem
                {
                    Name = name, Description = item.Description, UnitPrice = item.UnitPrice, Taxable = item.Taxable, Active = item.Active,
                };
                await LinkOrQueueAsync(RecordFor(SyncEntityType.CatalogItem, item.Id), SyncContent.Hash(item), what, "Item", name, body, existing,
                    async created => created with { Type = "Service", IncomeAccountRef = new QboRef(await (_incomeAccount ??= IncomeAccountAsync(cancellationToken))) }, cancellationToken);
            }

            await FlushAsync(cancellationToken);
        }

        /// <summary>
        /// A name-list record (Customer, Item): links QuickBooks' record of the same name when it has one and the record
        /// is not linked yet; otherwise queues a create, or a sparse update of the linked record.
        /// </summary>
        private async Task LinkOrQueueAsync<T>(SyncRecord record, string hash, SyncSubject what, string entity, string name, T body, Dictionary<string, T> existing,
            Func<T, Task<T>> completeForCreate, CancellationToken cancellationToken)
            where T : QboEntity
        {
            // Two Jobkore records QuickBooks would see as one name never share one QuickBooks record: the second stops.
            var key = $"{entity}:{name}";
            if (!_namesInRun.TryAdd(key, name))
            {
                Fail(record, SyncErrorMessages.SameQboName(what, _namesInRun[key]), null, null);
                return;
            }

            if (record.QboId is null && existing.TryGetValue(name, out var found))
            {
                _linkedQboIds ??= [.. _records.Values.Where(r => r.QboId != null).Select(r => (r.EntityType, r.QboId!))];
                if (!_linkedQboIds.Add((record.EntityType, found.Id!)))
                {
                    Fail(record, SyncErrorMessages.SameQboName(what, found switch { QboCustomer c => c.DisplayName, QboItem i => i.Name, _ => null } ?? name), null, null);
                    return;
                }

                await LinkAsync(record, found.Id!, found.SyncToken!, hash, cancellationToken);
                return;
            }

            Queue(record.QboId is null
                ? new PendingWrite(record, hash, what, "Create", entity, await completeForCreate(body))
                : new PendingWrite(record, hash, what, "Update", entity, body with { Id = record.QboId, SyncToken = record.QboSyncToken, Sparse = true }));
        }

        /// <summary>The income account new items use: the one chosen in settings, else QuickBooks' default. Asked once a run.</summary>
        private async Task<string> IncomeAccountAsync(CancellationToken cancellationToken)
        {
            if (chosen.IncomeAccount is { } account)
            {
                return account.Id;
            }

            Interlocked.Increment(ref _requests);
            var response = await qbo.QueryAsync(company, QboQuery.SelectAll("Account").Where("AccountType", "=", "Income").Page(1, QboQuery.MaxPageSize), cancellationToken);
            var accounts = (response.Account ?? []).Where(a => a.Id is not null && a.Name is not null)
                .Select(a => new QuickBooksAccount(a.Id!, a.Name!, QuickBooksAccountUse.Income, a.Active != false, false));
            return QuickBooksSettingsService.DefaultIncomeAccount(accounts)?.Id
                ?? throw new QuickBooksException(new QuickBooksError(QuickBooksErrorKind.Validation, 400, "2020", "IncomeAccountRef", "The QuickBooks company has no active Income account for new items.", "Add an Income account in QuickBooks, or choose one in Settings › Integrations › QuickBooks.", null));
        }

        // ---- Clients ----

        private async Task PushClientsAsync(Dictionary<string, QboCustomer> existing, CancellationToken cancellationToken)
        {
            foreach (var client in _clients)
            {
                var name = QboNames.DisplayName(client.DisplayName);
                var what = SyncSubject.Named("client", name);
                var a = client.BillingAddress;
                var body = new QboCustomer
                {
                    DisplayName = name,
                    CompanyName = client.CompanyName,
                    PrimaryEmailAddr = client.Email is null ? null : new QboEmail(client.Email),
                    PrimaryPhone = client.Phone is null ? null : new QboPhone(client.Phone),
                    BillAddr = new QboAddress { Line1 = a.Line1, Line2 = a.Line2, City = a.City, CountrySubDivisionCode = a.Region, PostalCode = a.PostalCode, Country = a.Country },
                };
                await LinkOrQueueAsync(RecordFor(SyncEntityType.Client, client.Id), SyncContent.Hash(client), what, "Customer", name, body, existing,
                    created => Task.FromResult(created), cancellationToken);
            }

            await FlushAsync(cancellationToken);
        }

        // ---- Invoices and voids ----

        private async Task PushInvoicesAsync(Dictionary<string, QboInvoice> existing, CancellationToken cancellationToken)
        {

            // Creates and updates first, voids after (DESIGN order).
            foreach (var invoice in _invoices.OrderBy(i => i.Status == InvoiceStatus.Void ? 1 : 0).ThenBy(i => i.Id))
            {
                var what = new SyncSubject("invoice", null, $"invoice {invoice.Number}");
                var record = RecordFor(SyncEntityType.Invoice, invoice.Id);
                var hash = SyncContent.Hash(invoice);
                if (invoice.Status == InvoiceStatus.Void && record.QboId is null)
                {
                    // It never reached QuickBooks: nothing to void, and nothing left to send.
                    db.SyncAttempts.Add(new SyncAttempt(businessId, company.RealmId, SyncEntityType.Invoice, invoice.Id, Now, "Void", true, null, null,
                        "Voided before it reached QuickBooks: nothing was sent.", null));
                    Forget(record);
                    await SaveAsync();
                    Synced++;
                    Progress();
                    continue;
                }

                if (invoice.Status == InvoiceStatus.Void)
                {
                    Queue(new PendingWrite(record, hash, what, "Void", "Invoice", new QboInvoice { Id = record.QboId, SyncToken = record.QboSyncToken }));
                    continue;
                }

                if (DependencyFailure(invoice) is { } dependency)
                {
                    Fail(record, $"{Capitalize(what.Label)} was not sent because {dependency} could not be sent. Fix that first; this invoice follows on the next sync.", null, null);
                    continue;
                }

                var customerId = QboIdOf(SyncEntityType.Client, invoice.ClientId)!;
                if (record.QboId is null && existing.TryGetValue(invoice.Number, out var found))
                {
                    if (found.CustomerRef?.Value == customerId && found.TotalAmt == invoice.Total)
                    {
                        await LinkAsync(record, found.Id!, found.SyncToken!, hash, cancellationToken);
                    }
                    else
                    {
                        Fail(record, $"QuickBooks already has an invoice numbered {invoice.Number}{(found.CustomerRef?.Name is { } other ? $" for {other}" : string.Empty)} "
                            + $"of {found.TotalAmt?.ToString("0.00", CultureInfo.InvariantCulture)}, which is not this invoice. Change the number in Jobkore, then retry.", "6140", null);
                    }

                    continue;
                }

                var body = InvoiceBody(invoice, customerId);
                Queue(record.QboId is null
                    ? new PendingWrite(record, hash, what, "Create", "Invoice", body, invoice.Total)
                    : new PendingWrite(record, hash, what, "Update", "Invoice", body with { Id = record.QboId, SyncToken = record.QboSyncToken, Sparse = true }, invoice.Total));
            }

            await FlushAsync(cancellationToken);
        }

        private string? DependencyFailure(Invoice invoice)
        {
            if (QboIdOf(SyncEntityType.Client, invoice.ClientId) is null)
            {
                return $"its client '{QboNames.DisplayName(invoice.Client!.DisplayName)}'";
            }

            var missing = invoice.Lines.FirstOrDefault(l => l.CatalogItemId is { } id && QboIdOf(SyncEntityType.CatalogItem, id) is null);
            return missing is null ? null : $"its catalog item '{(_items.Find(i => i.Id == missing.CatalogItemId) is { } item ? QboNames.ItemName(item.Name) : missing.Description)}'";
        }

        private QboInvoice InvoiceBody(Invoice invoice, string customerId) => new()
        {
            DocNumber = invoice.Number,
            CustomerRef = new QboRef(customerId),
            TxnDate = invoice.IssueDate,
            DueDate = invoice.DueDate,
            CustomerMemo = invoice.Memo is null ? null : new QboMemo(invoice.Memo),
            PrivateNote = $"Jobkore invoice {invoice.Number}",
            TxnTaxDetail = new QboTxnTaxDetail { TotalTax = invoice.Tax },
            Line = [.. invoice.Lines.OrderBy(l => l.Position).Select(l => new QboLine
            {
                DetailType = "SalesItemLineDetail",
                Description = l.Description,
                Amount = l.Amount,
                SalesItemLineDetail = new QboSalesItemLineDetail
                {
                    ItemRef = l.CatalogItemId is { } id ? new QboRef(QboIdOf(SyncEntityType.CatalogItem, id)!) : null,
                    Qty = l.Quantity,
                    UnitPrice = l.UnitPrice,
                    TaxCodeRef = new QboRef(l.Taxable ? "TAX" : "NON"),
                },
            })],
        };


        // ---- Payments ----

        private async Task VoidDeletedPaymentsAsync(CancellationToken cancellationToken)
        {
            foreach (var record in _deletedPayments)
            {
                Queue(new PendingWrite(record, record.PushedHash ?? string.Empty, new SyncSubject("payment", null, "a payment deleted in Jobkore"), "Void", "Payment",
                    new QboPayment { Id = record.QboId, SyncToken = record.QboSyncToken, Sparse = true }, RemoveOnSuccess: true));
            }

            await FlushAsync(cancellationToken);
        }

        private async Task PushPaymentsAsync(CancellationToken cancellationToken)
        {
            if (_payments.Count == 0)
            {
                return;
            }

            var invoices = await db.Invoices.AsNoTracking().Where(i => _payments.Select(p => p.InvoiceId).Contains(i.Id))
                .Select(i => new { i.Id, i.Number, i.ClientId }).ToDictionaryAsync(i => i.Id, cancellationToken);

            // Payments carry no number: after mappings were cleared, match an existing QBO payment by invoice, amount and date.
            var unmappedCustomers = _payments.Where(p => QboIdOf(SyncEntityType.Payment, p.Id) is null)
                .Select(p => QboIdOf(SyncEntityType.Client, invoices[p.InvoiceId].ClientId)).OfType<string>().Distinct().Where(c => !_newCustomers.Contains(c)).ToList();
            var candidates = await LookUpAllAsync("Payment", "CustomerRef", unmappedCustomers, r => r.Payment, cancellationToken);
            var claimed = _records.Values.Where(r => r.EntityType == SyncEntityType.Payment && r.QboId != null).Select(r => r.QboId!).ToHashSet();
            foreach (var payment in _payments)
            {
                var invoice = invoices[payment.InvoiceId];
                var what = new SyncSubject("payment", null, string.Create(CultureInfo.InvariantCulture, $"the payment of {payment.Amount:0.00} on invoice {invoice.Number}"));
                var record = RecordFor(SyncEntityType.Payment, payment.Id);
                var hash = SyncContent.Hash(payment);
                var invoiceId = QboIdOf(SyncEntityType.Invoice, payment.InvoiceId);
                var customerId = QboIdOf(SyncEntityType.Client, invoice.ClientId);
                if (invoiceId is null || customerId is null || _records.GetValueOrDefault((SyncEntityType.Invoice, payment.InvoiceId)) is { Failed: true })
                {
                    Fail(record, $"{Capitalize(what.Label)} was not sent because invoice {invoice.Number} is not in QuickBooks yet. Fix the invoice first; the payment follows.", null, null);
                    continue;
                }

                if (record.QboId is null && candidates.FirstOrDefault(c => c.Id is not null && !claimed.Contains(c.Id) && c.TotalAmt == payment.Amount && c.TxnDate == payment.Date
                        && c.Line?.Any(l => l.LinkedTxn.Any(t => t.TxnId == invoiceId && t.TxnType == "Invoice")) == true) is { } match)
                {
                    claimed.Add(match.Id!);
                    await LinkAsync(record, match.Id!, match.SyncToken ?? "0", hash, cancellationToken);
                    continue;
                }

                var body = new QboPayment
                {
                    CustomerRef = new QboRef(customerId),
                    TotalAmt = payment.Amount,
                    TxnDate = payment.Date,
                    PaymentRefNum = payment.Reference,
                    PaymentMethodRef = await PaymentMethodAsync(payment.Method, cancellationToken) is { } method ? new QboRef(method) : null,
                    DepositToAccountRef = chosen.DepositAccount is { } deposit ? new QboRef(deposit.Id) : null,
                    Line = [new QboPaymentLine(payment.Amount, [new QboLinkedTxn(invoiceId, "Invoice")])],
                };
                Queue(record.QboId is null
                    ? new PendingWrite(record, hash, what, "Create", "Payment", body)
                    : new PendingWrite(record, hash, what, "Update", "Payment", body with { Id = record.QboId, SyncToken = record.QboSyncToken, Sparse = true }));
            }

            await FlushAsync(cancellationToken);
        }

        /// <summary>QuickBooks' payment methods by name, asked once a run.</summary>
        private async Task<Dictionary<string, string>> PaymentMethodsAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            var response = await qbo.QueryAsync(company, QboQuery.SelectAll("PaymentMethod").Page(1, QboQuery.MaxPageSize), cancellationToken);
            var methods = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in response.PaymentMethod ?? [])
            {
                if (row is { Name: not null, Id: not null })
                {
                    methods.TryAdd(row.Name, row.Id);
                }
            }

            return methods;
        }

        private async Task<string?> PaymentMethodAsync(PaymentMethod method, CancellationToken cancellationToken)
        {
            var methods = await (_paymentMethods ??= PaymentMethodsAsync(cancellationToken));

            string[] names = method switch
            {
                PaymentMethod.Cash => ["Cash"],
                PaymentMethod.Check => ["Check", "Cheque"],
                PaymentMethod.Card => ["Credit Card", "Card"],
                PaymentMethod.BankTransfer => ["Bank Transfer", "EFT", "Direct Deposit"],
                _ => ["Other"],
            };
            return names.Select(n => methods.GetValueOrDefault(n)).FirstOrDefault(id => id is not null);
        }

        private async Task LinkAsync(SyncRecord record, string qboId, string syncToken, string hash, CancellationToken cancellationToken)
        {
            Succeed(record, qboId, syncToken, hash, "Link", null);
            cancellationToken.ThrowIfCancellationRequested();
            await SaveAsync();
        }

        private void Succeed(SyncRecord record, string qboId, string syncToken, string hash, string operation, string? warning)
        {
            Track(record).Succeeded(qboId, syncToken, hash, Now, warning);
            db.SyncAttempts.Add(new SyncAttempt(businessId, company.RealmId, record.EntityType, record.EntityId, Now, operation, true, qboId, null, warning, null));
            Synced++;
            Progress();
        }

        private void Progress() => notifier.Publish(new SyncRunProgress(businessId, Math.Min(++_done, _total), _total));

        private void Fail(SyncRecord record, string message, string? code, string? intuitTid, bool keepRequestId = false, string operation = "Check", string? raw = null)
        {
            Track(record).FailedWith(message, code, intuitTid, Now, keepRequestId);
            if (keepRequestId)
            {
                TransientFailures++;
            }

            db.SyncAttempts.Add(new SyncAttempt(businessId, company.RealmId, record.EntityType, record.EntityId, Now, operation, false, record.QboId, code, raw ?? message, intuitTid));
            Failed++;
            Progress();
            LogPushFailed(logger, record.EntityType, record.EntityId, company.RealmId, code, intuitTid);
        }

        // ---- Look-ups ----

        /// <summary>
        /// QBO records whose <paramref name="field"/> is one of <paramref name="values"/>, active or not: a few dozen values
        /// a query, the queries sent together (the limiter keeps them within the company's limits).
        /// </summary>
        private async Task<Dictionary<string, T>> LookUpAsync<T>(string entity, string field, IEnumerable<string> values, Func<QboQueryResponse, IReadOnlyList<T>?> rows,
            Func<T, string?> key, CancellationToken cancellationToken)
        {
            var pages = await Task.WhenAll(LookupChunks(values.Distinct(StringComparer.OrdinalIgnoreCase)).Select(async chunk =>
            {
                var query = QboQuery.SelectAll(entity).WhereIn(field, chunk);
                if (entity != "Invoice")
                {
                    query.IncludingInactive();
                }

                Interlocked.Increment(ref _requests);
                return rows(await qbo.QueryAsync(company, query.Page(1, QboQuery.MaxPageSize), cancellationToken)) ?? [];
            }));
            var found = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in pages.SelectMany(page => page))
            {
                if (key(row) is { } value)
                {
                    found.TryAdd(value, row);
                }
            }

            return found;
        }

        /// <summary>Every QBO record whose <paramref name="field"/> is one of <paramref name="values"/>, a few dozen values per query, the queries sent together.</summary>
        private async Task<List<T>> LookUpAllAsync<T>(string entity, string field, IEnumerable<string> values, Func<QboQueryResponse, IReadOnlyList<T>?> rows,
            CancellationToken cancellationToken)
        {
            var chunks = await Task.WhenAll(LookupChunks(values).Select(async chunk =>
            {
                var found = new List<T>();
                for (var start = 1; ; start += QboQuery.MaxPageSize)
                {
                    Interlocked.Increment(ref _requests);
                    var page = rows(await qbo.QueryAsync(company, QboQuery.SelectAll(entity).WhereIn(field, chunk).Page(start, QboQuery.MaxPageSize), cancellationToken)) ?? [];
                    found.AddRange(page);
                    if (page.Count < QboQuery.MaxPageSize)
                    {
                        return found;
                    }
                }
            }));
            return [.. chunks.SelectMany(c => c)];
        }

        private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }
}

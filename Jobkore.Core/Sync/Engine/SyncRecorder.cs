using System.Collections.Concurrent;
using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.Sync.Projection;
using Jobkore.Core.Sync.Journal;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// Everything a run writes to Jobkore's database, one writer at a time while requests go on: the sync records, their
/// attempt history, the write journal, and the run's counts and progress. Each save writes only what changed since
/// the last one, and what QuickBooks answered is never lost to a cancellation (saved with CancellationToken.None). What
/// it keeps may be read while answers are recorded: a run's steps work on different pages at the same time.
/// </summary>
internal sealed partial class SyncRecorder(JobkoreDbContext db, SyncNotifier notifier, TimeProvider time, ILogger logger, QboCompany company, int businessId,
    string? leaseHolder) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<(SyncEntityType, int), bool> _inDoubt = new();
    private readonly ConcurrentDictionary<string, bool> _newCustomers = new();
    private ConcurrentDictionary<(SyncEntityType, int), SyncRecord> _records = new();
    private int _total;
    private int _done;
    private int _requests;

    /// <summary>Records sent and failed so far, by record type.</summary>
    public SyncCounts Counts { get; } = new();

    public int Requests => Volatile.Read(ref _requests);

    public IEnumerable<SyncRecord> Records => _records.Values;

    private DateTimeOffset Now => time.GetUtcNow();

    public void Dispose() => _gate.Dispose();

    public void CountRequest() => Interlocked.Increment(ref _requests);

    /// <summary>Loads the company's sync records, untracked: each is attached when the run changes it.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken) =>
        _records = new(await db.SyncRecords.AsNoTracking().Where(r => r.RealmId == company.RealmId).ToDictionaryAsync(r => (r.EntityType, r.EntityId), cancellationToken));

    /// <summary>The record's sync record; a new one is written with the first change to it.</summary>
    public SyncRecord RecordFor(SyncEntityType type, int id)
    {
        return _records.GetOrAdd((type, id), key => new SyncRecord(businessId, company.RealmId, key.Item1, key.Item2));
    }

    public SyncRecord? Existing(SyncEntityType type, int id) => _records.GetValueOrDefault((type, id));

    public string? QboIdOf(SyncEntityType type, int id) => _records.GetValueOrDefault((type, id))?.QboId;

    /// <summary>A request for the record is in the journal without an answer: nothing else is sent for it until it has one.</summary>
    public bool InDoubt(SyncEntityType type, int id) => _inDoubt.ContainsKey((type, id));

    /// <summary>A customer this run created (not linked): QuickBooks holds no payment of it that Jobkore does not know.</summary>
    public bool IsNewCustomer(string qboId) => _newCustomers.ContainsKey(qboId);

    /// <summary>
    /// Corrects the run's total by <paramref name="change"/>: records that turned out not to wait when they were loaded
    /// (or are gone) leave it; records that wait and were not counted (a client an invoice was given meanwhile) join it.
    /// </summary>
    public async Task AdjustTotalAsync(int change)
    {
        if (change == 0)
        {
            return;
        }

        using (await LockAsync())
        {
            _total += change;
            notifier.Publish(new SyncRunProgress(businessId, Math.Min(_done, _total), _total));
        }
    }

    public void Start(int total, IReadOnlySet<int> invoiceIds)
    {
        _total = total;
        notifier.Publish(new SyncRunSending(businessId, invoiceIds));
        notifier.Publish(new SyncRunProgress(businessId, 0, _total));
    }

    /// <summary>The company's journal entries, oldest first: requests an earlier run sent and never had answered.</summary>
    public Task<List<SyncJournalEntry>> PendingJournalAsync(CancellationToken cancellationToken) =>
        db.SyncJournal.AsNoTracking().Where(e => e.RealmId == company.RealmId).OrderBy(e => e.Id).ToListAsync(cancellationToken);

    /// <summary>Saves a request before it is sent (with the lease check every save makes).</summary>
    public async Task<SyncJournalEntry> JournalAsync(string requestId, bool isBatch, string body, IReadOnlyList<JournaledWrite> writes)
    {
        var entry = new SyncJournalEntry(businessId, company.RealmId, requestId, isBatch, body, JournaledWrite.Serialize(writes), Now);
        using (await LockAsync())
        {
            db.SyncJournal.Add(entry);
            await SaveAsync();
        }

        return entry;
    }

    /// <summary>
    /// Records what QuickBooks answered for each write of <paramref name="entry"/>. An answered request leaves the
    /// journal; one in doubt stays, to be resent as it is. <paramref name="fresh"/>: first sent by this run.
    /// </summary>
    public async Task RecordAsync(SyncJournalEntry entry, IReadOnlyList<RecordedOutcome> outcomes, bool answered, bool fresh)
    {
        using (await LockAsync())
        {
            foreach (var (write, outcome, retrying) in outcomes)
            {
                Apply(write, outcome, retrying, fresh);
            }

            // Not a tracked delete: a run that took over a lost lease may have answered (and deleted) it already.
            await SaveAsync(answered ? () => db.SyncJournal.Where(e => e.Id == entry.Id).ExecuteDeleteAsync(CancellationToken.None) : null);
        }
    }

    /// <summary>A write that never left (the read before a full update failed): recorded like an answer, with no journal entry.</summary>
    public async Task RecordUnsentAsync(SyncWrite write, WriteOutcome outcome)
    {
        using (await LockAsync())
        {
            Apply(write.ToJournal("1"), outcome, retrying: false, fresh: true);
            await SaveAsync();
        }
    }

    /// <summary>Linked to a QuickBooks record that already holds what Jobkore would send: up to date without a write.</summary>
    public async Task LinkAsync(SyncRecord record, QboEntityKind entity, QboEntity found, string hash, QboFieldSet held, string note)
    {
        using (await LockAsync())
        {
            Track(record).BeginAttempt(Now);
            record.Succeeded(found.Id!, found.SyncToken ?? "0", hash, Now, heldFields: held, owned: QboOwnedFields.Values(entity, QboOwnedFields.ToJson(found)).ToSnapshot());
            Attempt(record, "Link", true, found.Id, null, note, null);
            Counts.CountSent(record.EntityType);
            Progress();
            await SaveAsync();
        }
    }

    /// <summary>Notes the invoice a payment's record pays, written with the record's next save: once the payment is removed in Jobkore, its invoice shows what becomes of its void.</summary>
    public async Task PaysAsync(SyncRecord record, int invoiceId)
    {
        if (record.PaidInvoiceId == invoiceId)
        {
            return;
        }

        if (record.Id == 0)
        {
            // Not in the database yet: inserted with it by its first change, so a first sync writes no more than before.
            record.Pays(invoiceId);
            return;
        }

        using (await LockAsync())
        {
            Track(record).Pays(invoiceId);
        }
    }

    /// <summary>A record that cannot be sent (a dependency failed, a name clash): the message says what to do.</summary>
    public async Task FailAsync(SyncRecord record, string message, string? code = null)
    {
        using (await LockAsync())
        {
            Fail(record, "Check", message, code, null, message);
            await SaveAsync();
        }
    }

    /// <summary>
    /// A client that likely matches a QuickBooks customer, held until an admin reviews it; <paramref name="candidates"/>
    /// (when found now) start its review, or open it again.
    /// </summary>
    public async Task HoldForReviewAsync(SyncRecord record, int clientId, IReadOnlyList<CustomerCandidate>? candidates, string message)
    {
        using (await LockAsync())
        {
            if (candidates is not null)
            {
                var match = await db.CustomerMatches.SingleOrDefaultAsync(m => m.RealmId == company.RealmId && m.ClientId == clientId, CancellationToken.None);
                if (match is null)
                {
                    db.CustomerMatches.Add(new CustomerMatch(businessId, company.RealmId, clientId, candidates, Now));
                }
                else
                {
                    match.Reopen();
                    match.Refresh(candidates, Now);
                }
            }

            Fail(record, "Check", message, SyncErrorMessages.ReviewCode, null, message);
            await SaveAsync();
        }
    }

    /// <summary>Checked: QuickBooks needs nothing for this content (an invoice voided before it reached QuickBooks, which has no invoice of its number).</summary>
    public async Task NothingToSendAsync(SyncRecord record, string hash, string operation, string note)
    {
        using (await LockAsync())
        {
            Track(record).NothingToSend(hash, Now);
            Attempt(record, operation, true, null, null, note, null);
            Counts.CountSent(record.EntityType);
            Progress();
            await SaveAsync();
        }
    }

    /// <summary>Deletes records that stand for nothing any more (a removed payment that never reached QuickBooks), so none stays counted as failed.</summary>
    public async Task DropAsync(IReadOnlyCollection<SyncRecord> orphans)
    {
        if (orphans.Count == 0)
        {
            return;
        }

        using (await LockAsync())
        {
            foreach (var orphan in orphans)
            {
                Forget(orphan);
            }

            await SaveAsync();
        }
    }
}

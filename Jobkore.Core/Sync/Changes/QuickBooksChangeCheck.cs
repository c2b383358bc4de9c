using System.Text.Json;
using System.Text.Json.Nodes;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.QuickBooks.Queries;
using Jobkore.Core.Sync.Journal;
using Jobkore.Core.Sync.Projection;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.Sync.Changes;

/// <summary>What one look at QuickBooks' changes found: records read, and records newly flagged or relinked.</summary>
public sealed record ChangeCheckSummary(int Read, int Flagged, int Relinked, int Requests);

/// <summary>
/// Looks at what changed in the connected company since the last look (docs/design.md §11) and says so on the sync
/// records: change data capture from the last time looked at (a full compare of the linked records when that is older
/// than QuickBooks keeps changes), then, for each record Jobkore sent, QuickBooks' version of the fields Jobkore owns
/// against the version Jobkore last wrote or saw. Runs under the business's sync lease, before a run sends anything,
/// so no answer of Jobkore's own is mistaken for someone else's change; records with a request in doubt are left to
/// the journal. A customer merged into another is relinked to the one that survived.
/// </summary>
internal sealed partial class QuickBooksChangeCheck(
    JobkoreDbContext db,
    QboApiClient qbo,
    QboCompany company,
    int businessId,
    string? leaseHolder,
    TimeProvider time,
    ILogger logger,
    Action countRequest)
{
    /// <summary>How far back QuickBooks keeps changes for change data capture (docs/quickbooks-api.md §10).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    // Looked at again: changes committed while QuickBooks answered, and clocks a little apart. Seeing one twice is harmless.
    private static readonly TimeSpan s_overlap = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_windowMargin = TimeSpan.FromHours(1);
    private static readonly QboEntityKind[] s_entities = [QboEntityKind.Customer, QboEntityKind.Item, QboEntityKind.Invoice, QboEntityKind.Payment];
    private const int MaxAnswers = 100;
    private const int IdsPerQuery = 200;
    private const string Customer = "customer";

    private DateTimeOffset Now => time.GetUtcNow();

    public async Task<ChangeCheckSummary> RunAsync(CancellationToken cancellationToken)
    {
        var started = Now;
        var requests = 0;
        // Untracked: the token store saves the connection row meanwhile (a refresh), so the look sets only its own column.
        var since = await db.QuickBooksConnections.Select(c => c.ChangesCheckedUpTo).SingleAsync(cancellationToken);
        var events = await db.QuickBooksWebhookEvents.Where(e => e.RealmId == company.RealmId && e.ProcessedAt == null && e.ReceivedAt <= started)
            .ToListAsync(cancellationToken);
        if (since is null)
        {
            // The first look: what QuickBooks did before it was compared when each record was linked or sent.
            await SaveAsync(events, started, started);
            return new ChangeCheckSummary(0, 0, 0, 0);
        }

        IReadOnlyList<QboChange> changes;
        DateTimeOffset upTo;
        if (started - since.Value > Window - s_windowMargin)
        {
            (changes, requests) = await CompareLinkedAsync(cancellationToken);
            upTo = started;
        }
        else
        {
            (changes, upTo, requests) = await ChangesSinceAsync(since.Value - s_overlap, cancellationToken);
        }

        // Only the records named by a change (or merged away, by a webhook): a look at a quiet day loads a handful, not the whole company.
        var latest = changes.GroupBy(c => (c.Entity, c.Id)).Select(g => g.OrderBy(c => c.LastUpdated ?? DateTimeOffset.MinValue).Last()).ToList();
        var named = latest.Select(c => c.Id).Concat(events.Where(e => e.DeletedId is not null).Select(e => e.DeletedId!)).Distinct().ToList();
        var records = named.Count == 0 ? []
            : await db.SyncRecords.Where(r => r.RealmId == company.RealmId && r.QboId != null && named.Contains(r.QboId)).ToListAsync(cancellationToken);
        var inDoubt = (await db.SyncJournal.Where(e => e.RealmId == company.RealmId).Select(e => e.Writes).ToListAsync(cancellationToken))
            .SelectMany(JournaledWrite.Deserialize).Select(w => (w.EntityType, w.EntityId)).ToHashSet();

        var byQboId = records.ToLookup(r => (EntityOf(r.EntityType), r.QboId!));
        var (survivors, relinkReads) = await RelinkMergedAsync(records, latest, events, inDoubt, cancellationToken);
        requests += relinkReads;
        var flagged = 0;
        foreach (var change in latest)
        {
            var merged = change.Entity == QboEntityKind.Customer && survivors.ContainsKey(change.Id);
            foreach (var record in byQboId[(change.Entity, change.Id)].Where(r => !merged && !inDoubt.Contains((r.EntityType, r.EntityId))))
            {
                var (judged, reads) = await JudgeAsync(record, change, survivors, cancellationToken);
                requests += reads;
                flagged += judged ? 1 : 0;
            }
        }

        await SaveAsync(events, started, upTo);
        if (flagged + survivors.Count > 0)
        {
            LogChangesFound(logger, company.RealmId, flagged, survivors.Count);
        }

        return new ChangeCheckSummary(latest.Count, flagged, survivors.Count, requests);
    }

    /// <summary>Change data capture from <paramref name="since"/>, answer after answer while one comes back full (QuickBooks returns the oldest changes first).</summary>
    private async Task<(IReadOnlyList<QboChange> Changes, DateTimeOffset UpTo, int Requests)> ChangesSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var all = new List<QboChange>();
        var upTo = Now;
        for (var answer = 0; answer < MaxAnswers; answer++)
        {
            var changes = await ReadAsync(() => qbo.ChangesAsync(company, s_entities, since, cancellationToken));
            all.AddRange(changes.Changes);
            upTo = changes.Time is { } at && at < Now ? at : Now;
            var last = changes.Changes.Select(c => c.LastUpdated).Max();
            if (changes.Changes.Count < QboChanges.MaxPerAnswer || last is null || last <= since)
            {
                return (all, upTo, answer + 1);
            }

            since = last.Value;
        }

        return (all, upTo, MaxAnswers);
    }

    /// <summary>
    /// Every linked record as QuickBooks holds it, read in pages of ids: what change data capture would say when the last
    /// look is older than QuickBooks keeps changes. A linked invoice or payment not found was deleted there.
    /// </summary>
    private async Task<(IReadOnlyList<QboChange> Changes, int Requests)> CompareLinkedAsync(CancellationToken cancellationToken)
    {
        var linked = await db.SyncRecords.AsNoTracking().Where(r => r.RealmId == company.RealmId && r.QboId != null)
            .Select(r => new { r.EntityType, r.QboId }).ToListAsync(cancellationToken);
        var changes = new List<QboChange>();
        var requests = 0;
        foreach (var group in linked.GroupBy(r => EntityOf(r.EntityType)))
        {
            foreach (var ids in group.Select(r => r.QboId!).Distinct().Chunk(IdsPerQuery))
            {
                var query = QboQuery.SelectAll(group.Key.ToString()).WhereIn("Id", ids).Page(1, IdsPerQuery);
                if (group.Key is QboEntityKind.Customer or QboEntityKind.Item)
                {
                    query = query.IncludingInactive();
                }

                var page = await ReadAsync(() => qbo.QueryAsync(company, query, cancellationToken));
                requests++;
                var found = Records(group.Key, page).ToDictionary(r => r.Id!);
                foreach (var id in ids)
                {
                    changes.Add(found.TryGetValue(id, out var entity)
                        ? new QboChange(group.Key, id, false, entity.MetaData?.LastUpdatedTime, QboOwnedFields.ToJson(entity))
                        : new QboChange(group.Key, id, group.Key is QboEntityKind.Invoice or QboEntityKind.Payment, null, new JsonObject { ["Id"] = id, ["status"] = "Deleted" }));
                }
            }
        }

        return (changes, requests);
    }

    /// <summary>
    /// Relinks the clients whose customer was merged away in QuickBooks: named by a merge webhook, or seen inactive while
    /// every one of their invoices that changed now belongs to one other customer (QuickBooks moves them on a merge).
    /// </summary>
    private async Task<(IReadOnlyDictionary<string, string> Survivors, int Requests)> RelinkMergedAsync(List<SyncRecord> records, IReadOnlyList<QboChange> latest,
        IReadOnlyList<QuickBooks.Webhooks.QuickBooksWebhookEvent> events, HashSet<(SyncEntityType, int)> inDoubt, CancellationToken cancellationToken)
    {
        var survivors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var merge in events.Where(e => e.Operation.Equals("Merge", StringComparison.OrdinalIgnoreCase) && e.Entity.Equals("Customer", StringComparison.OrdinalIgnoreCase)
            && e.DeletedId is not null))
        {
            survivors[merge.DeletedId!] = merge.EntityId;
        }

        // Several clients can be one customer: a merge joins two.
        var clients = records.Where(r => r.EntityType == SyncEntityType.Client).ToLookup(r => r.QboId!);
        var invoiceRecords = records.Where(r => r.EntityType == SyncEntityType.Invoice).ToLookup(r => r.QboId!);
        foreach (var gone in latest.Where(c => c.Entity == QboEntityKind.Customer && !c.Deleted && c.Record["Active"]?.GetValueKind() == JsonValueKind.False))
        {
            if (survivors.ContainsKey(gone.Id) || !clients.Contains(gone.Id))
            {
                continue;
            }

            var clientIds = clients[gone.Id].Select(c => c.EntityId).ToList();
            var clientInvoices = (await db.Invoices.Where(i => clientIds.Contains(i.ClientId)).Select(i => i.Id).ToListAsync(cancellationToken)).ToHashSet();
            var movedTo = latest.Where(c => c.Entity == QboEntityKind.Invoice && invoiceRecords[c.Id].Any(r => clientInvoices.Contains(r.EntityId)))
                .Select(c => c.Record["CustomerRef"]?["value"]?.GetValue<string>()).Distinct().ToList();
            if (movedTo is [{ } survivor] && survivor != gone.Id)
            {
                survivors[gone.Id] = survivor;
            }
        }

        var relinked = new Dictionary<string, string>(StringComparer.Ordinal);
        var requests = 0;
        foreach (var (mergedAway, survivorId) in survivors)
        {
            foreach (var client in clients[mergedAway].Where(c => !inDoubt.Contains((c.EntityType, c.EntityId))))
            {
                var survivor = latest.FirstOrDefault(c => c.Entity == QboEntityKind.Customer && c.Id == survivorId && !c.Deleted)?.Record;
                if (survivor is null)
                {
                    survivor = await ReadAsync(() => qbo.ReadJsonAsync(company, QboEntityKind.Customer, survivorId, cancellationToken));
                    requests++;
                }

                // Linked to the survivor, then judged like any change: its fields may differ from what Jobkore sent (its name does, as a rule).
                client.Relink(survivorId, survivor["SyncToken"]?.GetValue<string>() ?? "0");
                History(client, "Relink", $"Merged in QuickBooks into customer {survivorId}: linked to it.");
                relinked[mergedAway] = survivorId;
                requests += (await JudgeAsync(client, new QboChange(QboEntityKind.Customer, survivorId, false, null, survivor), relinked, cancellationToken)).Reads;
            }
        }

        return (relinked, requests);
    }

    /// <summary>What QuickBooks' version of one record means for it; true when it is newly flagged. Also returns the reads it took.</summary>
    private async Task<(bool Flagged, int Reads)> JudgeAsync(SyncRecord record, QboChange change, IReadOnlyDictionary<string, string> survivors,
        CancellationToken cancellationToken)
    {
        var reads = 0;
        var current = change.Record;
        if (change.Deleted)
        {
            // Change data capture has been seen calling an updated record deleted (docs/quickbooks-api.md §10): read it first.
            reads++;
            current = await ReadIfThereAsync(change.Entity, change.Id, cancellationToken);
            if (current is null)
            {
                // Already flagged, or Jobkore has no use for it either (voided here, or the payment removed): its own write finds it gone.
                if (record.Drift == SyncDrift.Deleted || await NeedsNothingAsync(record, cancellationToken))
                {
                    return (false, reads);
                }

                record.DeletedInQuickBooks(null, null, Now);
                History(record, "Check", $"Deleted in QuickBooks ({change.Entity} {change.Id}).");
                return (true, reads);
            }
        }

        var owned = Owned(change.Entity, current);
        var syncToken = current["SyncToken"]?.GetValue<string>() ?? record.QboSyncToken ?? "0";
        var sent = QboOwnedValues.FromJson(record.QboFields);
        if (sent is null || record.QboHash is null)
        {
            // Sent before Jobkore kept QuickBooks' side: what QuickBooks holds now is what later versions are compared with.
            record.SeenInQuickBooks(owned.ToSnapshot(), syncToken);
            return (false, reads);
        }

        if (sent[Customer] is { } customer && survivors.TryGetValue(customer, out var survivor) && owned[Customer] == survivor)
        {
            // QuickBooks moved it to the customer its own was merged into, as Jobkore's relinked client now says too.
            sent = sent.With(Customer, survivor);
            record.SeenInQuickBooks(sent.ToSnapshot());
        }

        if (owned.Hash == sent.Hash)
        {
            // Jobkore's own write, a change to fields Jobkore does not send, or a change undone: nothing to look at.
            record.InStepWithQuickBooks(syncToken);
            return (false, reads);
        }

        var wasFlagged = record.IsFlagged;
        var differences = sent.DifferencesTo(owned);
        var voided = change.Entity == QboEntityKind.Invoice && QboOwnedFields.IsVoided(current);
        if (voided && await IsVoidInJobkoreAsync(record.EntityId, cancellationToken))
        {
            // Voided there and here: the void Jobkore sends next finds it done.
            record.SeenInQuickBooks(owned.ToSnapshot(), syncToken);
            return (false, reads);
        }

        if (voided)
        {
            record.VoidedInQuickBooks(QboOwnedValues.DifferencesToJson(differences), syncToken, Now);
            History(record, "Check", "Voided in QuickBooks.");
        }
        else if (change.Entity is QboEntityKind.Customer or QboEntityKind.Item && sent["active"] == "true" && owned["active"] == "false")
        {
            record.DeletedInQuickBooks(QboOwnedValues.DifferencesToJson(differences), syncToken, Now);
            History(record, "Check", "Deleted (made inactive) in QuickBooks.");
        }
        else
        {
            record.ChangedInQuickBooks(QboOwnedValues.DifferencesToJson(differences), syncToken, Now);
            History(record, "Check", $"Changed in QuickBooks: {string.Join(", ", differences.Select(d => d.Field))}.");
        }

        return (!wasFlagged, reads);
    }

    /// <summary>True when Jobkore owes QuickBooks nothing for the record: an invoice voided in Jobkore, or a payment removed.</summary>
    private async Task<bool> NeedsNothingAsync(SyncRecord record, CancellationToken cancellationToken) => record.EntityType switch
    {
        SyncEntityType.Invoice => await IsVoidInJobkoreAsync(record.EntityId, cancellationToken),
        SyncEntityType.Payment => !await db.Payments.AnyAsync(p => p.Id == record.EntityId, cancellationToken),
        _ => false,
    };

    private async Task<bool> IsVoidInJobkoreAsync(int invoiceId, CancellationToken cancellationToken) =>
        await db.Invoices.AnyAsync(i => i.Id == invoiceId && i.Status == InvoiceStatus.Void, cancellationToken);

    private async Task<JsonObject?> ReadIfThereAsync(QboEntityKind entity, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(() => qbo.ReadJsonAsync(company, entity, id, cancellationToken));
        }
        catch (QuickBooksException ex) when (ex.Error.Kind == QuickBooksErrorKind.NotFound)
        {
            return null;
        }
    }

    private async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        countRequest();
        return await read();
    }

    /// <summary>The fields Jobkore owns, read through the same model as Jobkore's own answers, so equal values compare equal.</summary>
    private static QboOwnedValues Owned(QboEntityKind entity, JsonObject record)
    {
        QboEntity? typed = entity switch
        {
            QboEntityKind.Customer => record.Deserialize<QboCustomer>(QboJson.Options),
            QboEntityKind.Item => record.Deserialize<QboItem>(QboJson.Options),
            QboEntityKind.Invoice => record.Deserialize<QboInvoice>(QboJson.Options),
            QboEntityKind.Payment => record.Deserialize<QboPayment>(QboJson.Options),
            _ => null,
        };
        return QboOwnedFields.Values(entity, typed is null ? record : QboOwnedFields.ToJson(typed));
    }

    private static IEnumerable<QboEntity> Records(QboEntityKind entity, QboQueryResponse page) => entity switch
    {
        QboEntityKind.Customer => page.Customer ?? [],
        QboEntityKind.Item => page.Item ?? [],
        QboEntityKind.Invoice => page.Invoice ?? [],
        QboEntityKind.Payment => page.Payment ?? [],
        _ => [],
    };

    private static QboEntityKind EntityOf(SyncEntityType type) => type switch
    {
        SyncEntityType.Client => QboEntityKind.Customer,
        SyncEntityType.CatalogItem => QboEntityKind.Item,
        SyncEntityType.Invoice => QboEntityKind.Invoice,
        SyncEntityType.Payment => QboEntityKind.Payment,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a record Jobkore sends."),
    };

    private void History(SyncRecord record, string operation, string message) =>
        db.SyncAttempts.Add(new SyncAttempt(businessId, company.RealmId, record.EntityType, record.EntityId, Now, operation, true, record.QboId, null, message, null));

    /// <summary>
    /// Saves what the look found, once it has made sure the lease is still held (renewed for a whole lease, so no other
    /// process can take it meanwhile), then how far it looked and the webhook events it took into account. Not in a
    /// transaction of its own: the records' changes are announced to open pages when saved, and a page that reads them
    /// at once must find them committed. Lost after the records, the rest only makes the next look see the same again.
    /// </summary>
    private async Task SaveAsync(IReadOnlyList<QuickBooks.Webhooks.QuickBooksWebhookEvent> events, DateTimeOffset started, DateTimeOffset upTo)
    {
        if (leaseHolder is not null && !await SyncLeases.RenewAsync(db, businessId, leaseHolder, Now, CancellationToken.None))
        {
            db.ChangeTracker.Clear();
            throw new SyncLeaseLostException();
        }

        await db.SaveChangesAsync(CancellationToken.None);
        await db.QuickBooksConnections.ExecuteUpdateAsync(s => s.SetProperty(c => c.ChangesCheckedUpTo, upTo), CancellationToken.None);
        var ids = events.Select(e => e.Id).ToList();
        if (ids.Count > 0)
        {
            await db.QuickBooksWebhookEvents.Where(e => ids.Contains(e.Id)).ExecuteUpdateAsync(s => s.SetProperty(e => e.ProcessedAt, started), CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "QuickBooks company {RealmId}: {Flagged} records changed there, {Relinked} relinked to the customer they were merged into")]
    private static partial void LogChangesFound(ILogger logger, string realmId, int flagged, int relinked);
}

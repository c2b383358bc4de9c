using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.Sync.Journal;
using Jobkore.Core.Sync.Projection;
using Jobkore.Core.SyncState;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// Sends a run's writes through the write journal (docs/design.md §10): each request — one write, or a batch of up to
/// <c>batchSize</c> — is saved with its exact body and requestid before it leaves, its answer is recorded, and a
/// request left unanswered is resent unchanged by <see cref="ResendJournalAsync"/> before anything else of its records
/// is computed. Writes go over as many lanes as the company allows requests at once, each lane asking the limiter for
/// its next slot (a batch while the minute allows batch requests, else one write) and carrying it into the client
/// (<see cref="QboSlot.Carry"/>), so a run fills both of Intuit's allowances without a 429. A stale SyncToken (5010) is read again and the write sent once more.
/// </summary>
internal sealed class SyncDispatcher(QboApiClient qbo, QboRateLimiter limiter, QboCompany company, SyncRecorder recorder, int batchSize)
{
    /// <summary>Resends, unchanged and with the same requestid, every request an earlier run never had answered.</summary>
    public async Task ResendJournalAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in await recorder.PendingJournalAsync(cancellationToken))
        {
            using var slot = await limiter.AcquireAsync(company.RealmId, entry.IsBatch ? QboSlotKind.Batch : QboSlotKind.Request, cancellationToken);
            await SendAsync(entry, JournaledWrite.Deserialize(entry.Writes), slot, planned: null, cancellationToken);
        }
    }

    /// <summary>Sends one step's writes, which never depend on each other; returns when all are answered or in doubt.</summary>
    public async Task FlushAsync(IReadOnlyCollection<SyncWrite> writes, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return;
        }

        var queue = new SyncWriteQueue(writes, batchSize);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? firstFailure = null;
        var lanes = Enumerable.Range(0, Math.Min(limiter.ConcurrentRequests, writes.Count)).Select(async _ =>
        {
            try
            {
                await LaneAsync(queue, stop.Token);
            }
            catch (Exception ex)
            {
                // The first failure (a crash, a revoked connection, a lost lease) stops the other lanes; it is what the run reports.
                Interlocked.CompareExchange(ref firstFailure, ex, null);
                await stop.CancelAsync();
                throw;
            }
        }).ToList();

        try
        {
            await Task.WhenAll(lanes);
        }
        catch (Exception) when (firstFailure is not null)
        {
            ExceptionDispatchInfo.Throw(firstFailure);
        }
    }

    private async Task LaneAsync(SyncWriteQueue queue, CancellationToken cancellationToken)
    {
        while (queue.NextKind() is { } kind)
        {
            using var slot = await limiter.AcquireAsync(company.RealmId, kind, cancellationToken);
            var taken = queue.Take(slot.IsBatch);
            if (taken.Count == 0)
            {
                // Other lanes took what this slot was for while it waited: look again.
                slot.ReleaseUnused();
                continue;
            }

            if (slot.IsBatch)
            {
                await SendBatchAsync(taken, slot, cancellationToken);
            }
            else
            {
                await SendOneAsync(taken[0], slot, null, cancellationToken);
            }
        }
    }

    /// <summary>
    /// One write in a request of its own. A full update spends the lane's <paramref name="slot"/> on reading the record
    /// (unless the caller has just read it: <paramref name="current"/>), and its write waits for a slot of its own.
    /// </summary>
    private async Task SendOneAsync(SyncWrite write, QboSlot? slot, JsonObject? current, CancellationToken cancellationToken)
    {
        var body = write.Body;
        if (write.Operation == QboOperation.FullUpdate)
        {
            if (current is null)
            {
                current = await ReadAsync(write, slot, cancellationToken);
                slot?.Dispose();
                slot = null;
                if (current is null)
                {
                    return;
                }
            }

            body = QboOwnedFields.Overlay(write.Entity, current, write.Body);
        }

        var entry = await recorder.JournalAsync(NewRequestId(), false, body.ToJsonString(), [write.ToJournal("1")]);
        await SendAsync(entry, [write.ToJournal("1")], slot, new Dictionary<string, SyncWrite> { ["1"] = write }, cancellationToken);
    }

    private async Task SendBatchAsync(IReadOnlyList<SyncWrite> writes, QboSlot slot, CancellationToken cancellationToken)
    {
        var planned = new Dictionary<string, SyncWrite>(StringComparer.Ordinal);
        var items = new JsonArray();
        foreach (var write in writes)
        {
            var bId = (planned.Count + 1).ToString(CultureInfo.InvariantCulture);
            planned[bId] = write;
            items.Add(BatchItem(bId, write));
        }

        var journaled = planned.Select(p => p.Value.ToJournal(p.Key)).ToList();
        var entry = await recorder.JournalAsync(NewRequestId(), true, new JsonObject { ["BatchItemRequest"] = items }.ToJsonString(), journaled);
        await SendAsync(entry, journaled, slot, planned, cancellationToken);
    }

    /// <summary>Sends a journaled request and records each write's outcome; <paramref name="planned"/> is null for a resend from an earlier run.</summary>
    private async Task SendAsync(SyncJournalEntry entry, List<JournaledWrite> writes, QboSlot? slot, Dictionary<string, SyncWrite>? planned,
        CancellationToken cancellationToken)
    {
        List<RecordedOutcome> outcomes;
        var answered = true;
        recorder.CountRequest();
        try
        {
            if (entry.IsBatch)
            {
                QboBatchResponse response;
                using (slot?.Carry())
                {
                    response = await qbo.BatchAsync(company, entry.Body, entry.RequestId, cancellationToken);
                }
                var answers = (response.BatchItemResponse ?? []).Where(r => r.BId is not null).DistinctBy(r => r.BId).ToDictionary(r => r.BId!, StringComparer.Ordinal);
                outcomes = [.. writes.Select(w => Outcome(w, answers.GetValueOrDefault(w.BId), response.IntuitTid, planned))];
            }
            else
            {
                var write = writes[0];
                QboResponse response;
                using (slot?.Carry())
                {
                    response = await qbo.WriteAsync(company, new QboWriteRequest(write.Operation, write.Entity, entry.RequestId, entry.Body), cancellationToken);
                }
                outcomes = [new RecordedOutcome(write, WriteOutcome.Pushed(EntityOf(response, write.Entity)))];
            }
        }
        catch (Exception ex) when (WriteOutcome.Of(ex, cancellationToken) is { } outcome)
        {
            // The whole request: a fault QuickBooks answered ends it; no answer keeps it in the journal.
            answered = outcome.Kind != WriteOutcomeKind.InDoubt;
            outcomes = [.. writes.Select(w => new RecordedOutcome(w, outcome, Retrying(w, outcome, planned)))];
        }

        // The answer is in: the slot's minute starts now, and a retry below must not wait on a slot this lane still holds.
        slot?.Dispose();
        await recorder.RecordAsync(entry, outcomes, answered, fresh: planned is not null);
        foreach (var stale in outcomes.Where(o => o.Retrying))
        {
            await RetryStaleAsync(planned![stale.Write.BId], cancellationToken);
        }
    }

    private static RecordedOutcome Outcome(JournaledWrite write, QboBatchItemResponse? answer, string? intuitTid, Dictionary<string, SyncWrite>? planned)
    {
        var outcome = answer switch
        {
            null => new WriteOutcome(WriteOutcomeKind.Rejected, Error: new QuickBooksError(QuickBooksErrorKind.Validation, 200, null, null, SyncErrorMessages.LostResponse, null, intuitTid),
                Raw: "The batch answer had no item for this record."),
            { Fault: { } fault } => WriteOutcome.OfBatchItem(QboFaults.FromFault(200, fault, intuitTid)),
            _ => WriteOutcome.Pushed(EntityOf(answer, write.Entity)),
        };
        return new RecordedOutcome(write, outcome, Retrying(write, outcome, planned));
    }

    /// <summary>A stale write planned by this run is read again and sent once more; a resend from an earlier run is planned afresh instead.</summary>
    private static bool Retrying(JournaledWrite write, WriteOutcome outcome, Dictionary<string, SyncWrite>? planned) =>
        outcome.Kind == WriteOutcomeKind.Stale && planned?.GetValueOrDefault(write.BId) is { IsStaleRetry: false };

    /// <summary>
    /// QuickBooks' SyncToken moved on (someone changed the record, or a payment was applied to the invoice): Jobkore
    /// is the source of truth for what it sends, so read the current record and send the same change once more — in
    /// full when the record now holds an owned field Jobkore leaves empty.
    /// </summary>
    private async Task RetryStaleAsync(SyncWrite write, CancellationToken cancellationToken)
    {
        if (await ReadAsync(write, null, cancellationToken) is not { } current)
        {
            return;
        }

        var body = (JsonObject)write.Body.DeepClone();
        body["SyncToken"] = current["SyncToken"]?.DeepClone();
        var resend = write with { Body = body, IsStaleRetry = true };
        // A name moved aside changes the name alone: it stays a sparse update whatever else QuickBooks holds.
        var retry = write.Interim ? resend : SyncWrites.EmptyingWhatQuickBooksHolds(resend, current);
        await SendOneAsync(retry, null, current, cancellationToken);
    }

    /// <summary>The record as QuickBooks holds it now; null (and the failure recorded) when it cannot be read.</summary>
    private async Task<JsonObject?> ReadAsync(SyncWrite write, QboSlot? slot, CancellationToken cancellationToken)
    {
        recorder.CountRequest();
        try
        {
            using (slot?.Carry())
            {
                return await qbo.ReadJsonAsync(company, write.Entity, write.QboId!, cancellationToken);
            }
        }
        catch (Exception ex) when (WriteOutcome.Of(ex, cancellationToken) is { } outcome)
        {
            await recorder.RecordUnsentAsync(write, outcome);
            return null;
        }
    }

    private static JsonObject BatchItem(string bId, SyncWrite write)
    {
        var item = new JsonObject { ["bId"] = bId };
        switch (write.Operation)
        {
            case QboOperation.Create:
                item["operation"] = "create";
                break;
            case QboOperation.Update:
                item["operation"] = "update";
                break;
            case QboOperation.Void:
                item["operation"] = "update";
                item["optionsData"] = "void";
                break;
            case QboOperation.Delete:
                item["operation"] = "delete";
                break;
            default:
                throw new InvalidOperationException($"A {write.Operation} cannot go in a batch.");
        }

        item[write.Entity.ToString()] = write.Body.DeepClone();
        return item;
    }

    private static QboEntity? EntityOf(QboEntities response, QboEntityKind entity) => entity switch
    {
        QboEntityKind.Customer => response.Customer,
        QboEntityKind.Item => response.Item,
        QboEntityKind.Invoice => response.Invoice,
        QboEntityKind.Payment => response.Payment,
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, "Not an entity Jobkore writes."),
    };

    private static string NewRequestId() => Guid.NewGuid().ToString("N");
}

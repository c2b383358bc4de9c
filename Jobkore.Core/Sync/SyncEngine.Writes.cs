using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Jobkore.Core.QuickBooks;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Mappings;
using Jobkore.Core.QuickBooks.Models;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync;

public sealed partial class SyncEngine
{
    /// <summary>
    /// One write to QuickBooks for one record: "Create", "Update" or "Void" of a Customer, Item, Invoice or Payment.
    /// <paramref name="ExpectedTotal"/> is Jobkore's invoice total, compared with QuickBooks' after the write.
    /// </summary>
    private sealed record PendingWrite(SyncRecord Record, string Hash, SyncSubject What, string Operation, string Entity, QboEntity Body,
        decimal? ExpectedTotal = null, bool RemoveOnSuccess = false);

    /// <summary>What a saved batch remembers of each item, to apply its answer even in a later run.</summary>
    private sealed record BatchMember(string BId, SyncEntityType EntityType, int EntityId, string Hash, SyncSubject What, string Operation, string Entity,
        decimal? ExpectedTotal, bool RemoveOnSuccess);

    private sealed partial class Run
    {
        private readonly List<PendingWrite> _queued = [];
        private readonly HashSet<(SyncEntityType, int)> _inUnansweredBatch = [];

        /// <summary>One writer at a time on the run's database context; requests to QuickBooks go on meanwhile.</summary>
        private readonly SemaphoreSlim _dbGate = new(1, 1);

        private void Queue(PendingWrite write) => _queued.Add(write);

        /// <summary>
        /// Sends the queued writes of one step over as many lanes as the company allows requests at once. Each lane asks
        /// the limiter for its next slot: a batch of up to <c>batchSize</c> writes while the minute still allows batch
        /// requests, one write otherwise, so the run fills both Intuit's batch and single-request allowances. The writes
        /// of one step never depend on each other; the next step starts when all of them are answered.
        /// </summary>
        private async Task FlushAsync(CancellationToken cancellationToken)
        {
            var writes = new Queue<PendingWrite>(_queued);
            _queued.Clear();
            if (writes.Count == 0)
            {
                return;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Exception? firstFailure = null;
            var lanes = Enumerable.Range(0, Math.Min(limiter.ConcurrentRequests, writes.Count)).Select(async _ =>
            {
                try
                {
                    await LaneAsync(writes, stop.Token);
                }
                catch (Exception ex)
                {
                    // The first failure (a crash, a revoked connection) stops the other lanes; it is what the run reports.
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

        private async Task LaneAsync(Queue<PendingWrite> writes, CancellationToken cancellationToken)
        {
            while (true)
            {
                QboSlotKind kind;
                lock (writes)
                {
                    if (writes.Count == 0)
                    {
                        return;
                    }

                    kind = batchSize > 1 && writes.Count > 1 ? QboSlotKind.BatchOrRequest : QboSlotKind.Request;
                }

                using var slot = await limiter.AcquireAsync(company.RealmId, kind, cancellationToken);
                var taken = new List<PendingWrite>();
                lock (writes)
                {
                    while (writes.Count > 0 && taken.Count < (slot.IsBatch ? batchSize : 1))
                    {
                        taken.Add(writes.Dequeue());
                    }
                }

                if (taken.Count == 0)
                {
                    // Another lane took the last writes while this one waited.
                    slot.ReleaseUnused();
                    return;
                }

                if (slot.IsBatch)
                {
                    await SendBatchAsync(taken, slot, cancellationToken);
                }
                else
                {
                    await SendOneAsync(taken[0], slot, cancellationToken);
                }
            }
        }

        /// <summary>Holds the run's database context until disposed.</summary>
        private async Task<IDisposable> LockDbAsync()
        {
            await _dbGate.WaitAsync(CancellationToken.None);
            return new DbGateRelease(_dbGate);
        }

        /// <summary>
        /// Saves, then lets go of everything saved: the context only ever tracks what the next save writes, so a run of
        /// thousands of records saves as fast at the end as at the start. Recording what QuickBooks answered must not
        /// be lost to a cancellation (STYLE.md rule 12).
        /// </summary>
        private async Task SaveAsync()
        {
            await db.SaveChangesAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
        }

        /// <summary>
        /// Starts tracking a sync record before it is changed, so the next save writes the change (and inserts it if it
        /// is new): each save writes only the records its requests touched, never a whole step's new records at once.
        /// </summary>
        private SyncRecord Track(SyncRecord record)
        {
            if (db.Entry(record).State == EntityState.Detached)
            {
                if (record.Id == 0)
                {
                    db.SyncRecords.Add(record);
                }
                else
                {
                    db.SyncRecords.Attach(record);
                }
            }

            return record;
        }

        // ---- One request per record ----

        private async Task SendOneAsync(PendingWrite write, QboSlot? slot, CancellationToken cancellationToken)
        {
            var record = write.Record;
            switch (write.Operation)
            {
                case "Create":
                    await SendAsync(write, requestId => qbo.CreateAsync(company, write.Entity, write.Body, requestId, cancellationToken, slot), cancellationToken);
                    break;
                case "Update":
                    await UpdateAsync(write, slot, cancellationToken);
                    break;
                case "Void" when write.Entity == "Invoice":
                    await SendAsync(write, requestId => qbo.VoidInvoiceAsync(company, record.QboId!, record.QboSyncToken!, requestId, cancellationToken, slot), cancellationToken);
                    break;
                case "Void" when write.Entity == "Payment":
                    await SendAsync(write, requestId => qbo.VoidPaymentAsync(company, record.QboId!, record.QboSyncToken!, requestId, cancellationToken, slot), cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown write {write.Operation} {write.Entity}.");
            }
        }

        /// <summary>
        /// The requestid is saved before the call and reused until QuickBooks answers, so a retry after a lost
        /// response replays instead of creating twice.
        /// </summary>
        private async Task SendAsync(PendingWrite write, Func<string, Task<QboResponse>> call, CancellationToken cancellationToken)
        {
            var record = write.Record;
            string requestId;
            bool fresh;
            using (await LockDbAsync())
            {
                fresh = record.PendingRequestId is null;
                requestId = record.PendingRequestId ?? Guid.NewGuid().ToString("N");
                Track(record).BeginAttempt(requestId, Now);
                await SaveAsync();
            }

            QboResponse? response = null;
            Action<Run>? failure = null;
            try
            {
                Interlocked.Increment(ref _requests);
                response = await call(requestId);
            }
            catch (QuickBooksException ex) when (!EndsTheRun(ex))
            {
                failure = run => run.Fail(record, SyncErrorMessages.For(ex.Error, write.What), ex.Error.Code, ex.Error.IntuitTid, keepRequestId: ex.Error.IsRetryable,
                    operation: write.Operation, raw: ex.Error.Detail ?? ex.Error.Message);
            }
            catch (Exception ex) when (IsLostResponse(ex, cancellationToken))
            {
                // QuickBooks may have stored it: the next attempt replays the same requestid and gets the original answer.
                failure = run => run.Fail(record, SyncErrorMessages.LostResponse, null, null, keepRequestId: true, operation: write.Operation, raw: ex.Message);
            }

            using (await LockDbAsync())
            {
                if (failure is not null)
                {
                    failure(this);
                }
                else
                {
                    Apply(record, ToMember(write, "1"), EntityOf(response!, write.Entity), null, fresh);
                }

                await SaveAsync();
            }
        }

        /// <summary>An update with the stored SyncToken; if QuickBooks says it is stale (5010), read the current one and apply once more.</summary>
        private async Task UpdateAsync(PendingWrite write, QboSlot? slot, CancellationToken cancellationToken)
        {
            var body = write.Body;
            var record = write.Record;
            for (var attempt = 1; ; attempt++)
            {
                using (await LockDbAsync())
                {
                    Track(record).BeginAttempt(record.PendingRequestId ?? Guid.NewGuid().ToString("N"), Now);
                    await SaveAsync();
                }

                QboResponse response;
                try
                {
                    Interlocked.Increment(ref _requests);
                    response = await qbo.UpdateAsync(company, write.Entity, body, record.PendingRequestId!, cancellationToken, attempt == 1 ? slot : null);
                }
                catch (QuickBooksException ex) when (ex.Error.Kind == QuickBooksErrorKind.Stale && attempt == 1)
                {
                    // Jobkore is the source of truth for what it sends: take QuickBooks' current SyncToken and apply again.
                    Interlocked.Increment(ref _requests);
                    var current = EntityOf(await qbo.ReadAsync(company, write.Entity, record.QboId!, cancellationToken), write.Entity);
                    using (await LockDbAsync())
                    {
                        // QuickBooks answered that requestid (stale): the next try needs a new one, or QBO replays the same fault.
                        Track(record).FailedWith(SyncErrorMessages.For(ex.Error, write.What), ex.Error.Code, ex.Error.IntuitTid, Now);
                        db.SyncAttempts.Add(new SyncAttempt(businessId, company.RealmId, record.EntityType, record.EntityId, Now, "Update", false, record.QboId,
                            ex.Error.Code, "Changed in QuickBooks meanwhile; read again and applied Jobkore's version once more.", ex.Error.IntuitTid));
                    }

                    body = body with { SyncToken = current?.SyncToken ?? body.SyncToken };
                    continue;
                }
                catch (QuickBooksException ex) when (!EndsTheRun(ex))
                {
                    using (await LockDbAsync())
                    {
                        Fail(record, SyncErrorMessages.For(ex.Error, write.What), ex.Error.Code, ex.Error.IntuitTid, keepRequestId: ex.Error.IsRetryable, operation: "Update",
                            raw: ex.Error.Detail ?? ex.Error.Message);
                        await SaveAsync();
                    }

                    return;
                }
                catch (Exception ex) when (IsLostResponse(ex, cancellationToken))
                {
                    using (await LockDbAsync())
                    {
                        Fail(record, SyncErrorMessages.LostResponse, null, null, keepRequestId: true, operation: "Update", raw: ex.Message);
                        await SaveAsync();
                    }

                    return;
                }

                using (await LockDbAsync())
                {
                    Apply(record, ToMember(write, "1"), EntityOf(response, write.Entity), null, fresh: false);
                    await SaveAsync();
                }

                return;
            }
        }

        // ---- Batches ----

        /// <summary>
        /// Saves the batch (requestid, request, members) before sending it, then applies each item's own answer. The
        /// records themselves are written once, with the answer: the saved batch is what a crash needs.
        /// </summary>
        private async Task SendBatchAsync(IReadOnlyList<PendingWrite> writes, QboSlot slot, CancellationToken cancellationToken)
        {
            var members = writes.Select((w, i) => ToMember(w, (i + 1).ToString(CultureInfo.InvariantCulture))).ToList();
            var request = new QboBatchRequest([.. writes.Select((w, i) => BatchItem(members[i].BId, w))]);
            var batch = new SyncBatch(businessId, company.RealmId, Guid.NewGuid().ToString("N"), JsonSerializer.Serialize(request, QboJson.Options),
                JsonSerializer.Serialize(members, QboJson.Options), Now);
            using (await LockDbAsync())
            {
                db.SyncBatches.Add(batch);
                await SaveAsync();
            }

            await AnswerBatchAsync(batch, request, members, writes.ToDictionary(w => (w.Record.EntityType, w.Record.EntityId)), slot, fresh: true, cancellationToken);
        }

        /// <summary>Resends, unchanged and with the same requestid, every batch whose answer an earlier run never got.</summary>
        private async Task ResendPendingBatchesAsync(CancellationToken cancellationToken)
        {
            var pending = await db.SyncBatches.AsNoTracking().Where(b => b.RealmId == company.RealmId).OrderBy(b => b.Id).ToListAsync(cancellationToken);
            foreach (var batch in pending)
            {
                var request = JsonSerializer.Deserialize<QboBatchRequest>(batch.Payload, QboJson.Options)!;
                var members = JsonSerializer.Deserialize<List<BatchMember>>(batch.Members, QboJson.Options)!;
                await AnswerBatchAsync(batch, request, members, [], null, fresh: false, cancellationToken);
            }
        }

        private async Task AnswerBatchAsync(SyncBatch batch, QboBatchRequest request, List<BatchMember> members,
            Dictionary<(SyncEntityType, int), PendingWrite> writes, QboSlot? slot, bool fresh, CancellationToken cancellationToken)
        {
            QboBatchResponse response;
            try
            {
                Interlocked.Increment(ref _requests);
                response = await qbo.BatchAsync(company, request.BatchItemRequest, batch.RequestId, cancellationToken, slot);
            }
            catch (QuickBooksException ex) when (!ex.Error.IsRetryable && !EndsTheRun(ex))
            {
                // QuickBooks answered the whole batch with a fault: nothing in it was done.
                using (await LockDbAsync())
                {
                    foreach (var member in members)
                    {
                        Fail(Attempted(member), SyncErrorMessages.For(ex.Error, member.What), ex.Error.Code, ex.Error.IntuitTid, operation: member.Operation,
                            raw: ex.Error.Detail ?? ex.Error.Message);
                    }

                    db.SyncBatches.Remove(batch);
                    await SaveAsync();
                }

                return;
            }
            catch (Exception ex) when ((ex is QuickBooksException q && !EndsTheRun(q)) || IsLostResponse(ex, cancellationToken))
            {
                // No answer: the batch stays saved and the next run resends it as it is.
                using (await LockDbAsync())
                {
                    foreach (var member in members)
                    {
                        _inUnansweredBatch.Add((member.EntityType, member.EntityId));
                        Fail(Attempted(member), SyncErrorMessages.LostResponse, null, null, keepRequestId: true, operation: member.Operation, raw: ex.Message);
                    }

                    await SaveAsync();
                }

                return;
            }

            var staleUpdates = new List<PendingWrite>();
            using (await LockDbAsync())
            {
                var answers = response.BatchItemResponse.Where(r => r.BId is not null).ToDictionary(r => r.BId!);
                foreach (var member in members)
                {
                    var record = Attempted(member);
                    if (!answers.TryGetValue(member.BId, out var answer))
                    {
                        Fail(record, SyncErrorMessages.LostResponse, null, null, operation: member.Operation, raw: "The batch answer had no item for this record.");
                    }
                    else if (answer.Fault is not null)
                    {
                        var error = QboFaults.FromFault(200, answer.Fault, null);
                        if (error.Kind == QuickBooksErrorKind.Stale && writes.TryGetValue((member.EntityType, member.EntityId), out var stale))
                        {
                            staleUpdates.Add(stale);
                        }
                        else
                        {
                            Fail(record, SyncErrorMessages.For(error, member.What), error.Code, null, operation: member.Operation, raw: error.Detail ?? error.Message);
                        }
                    }
                    else
                    {
                        Apply(record, member, EntityOf(answer, member.Entity), batch.RequestId, fresh);
                    }
                }

                db.SyncBatches.Remove(batch);
                await SaveAsync();
            }

            foreach (var stale in staleUpdates)
            {
                await UpdateAsync(stale, null, cancellationToken);
            }
        }

        /// <summary>The record of a batch member, with the attempt the batch made counted.</summary>
        private SyncRecord Attempted(BatchMember member)
        {
            var record = Track(RecordFor(member.EntityType, member.EntityId));
            record.BeginBatchAttempt(Now);
            return record;
        }

        private static QboBatchItemRequest BatchItem(string bId, PendingWrite write)
        {
            var item = new QboBatchItemRequest
            {
                BId = bId,
                Operation = write.Operation switch { "Create" => "create", "Update" => "update", _ => null },
                OptionsData = write.Operation == "Void" ? "void" : null,
            };
            return write.Body switch
            {
                QboCustomer customer => item with { Customer = customer },
                QboItem qboItem => item with { Item = qboItem },
                QboInvoice invoice => item with { Invoice = invoice },
                QboPayment payment => item with { Payment = payment },
                _ => throw new InvalidOperationException($"{write.Body.GetType().Name} cannot be sent in a batch."),
            };
        }

        private static BatchMember ToMember(PendingWrite write, string bId) =>
            new(bId, write.Record.EntityType, write.Record.EntityId, write.Hash, write.What, write.Operation, write.Entity, write.ExpectedTotal, write.RemoveOnSuccess);

        /// <summary>
        /// Records QuickBooks' answer for one record: its id, SyncToken and the hash of what was sent. <paramref name="fresh"/>
        /// says the request was first sent in this run, so a customer it created is new to QuickBooks.
        /// </summary>
        private void Apply(SyncRecord record, BatchMember member, QboEntity? sent, string? batchRequestId, bool fresh)
        {
            if (sent?.Id is null && record.QboId is null)
            {
                Fail(record, SyncErrorMessages.LostResponse, null, null, operation: member.Operation, raw: $"QuickBooks answered without the record (batch {batchRequestId}).");
                return;
            }

            if (fresh && member.Operation == "Create" && member.EntityType == SyncEntityType.Client)
            {
                _newCustomers.Add(sent!.Id!);
            }

            Succeed(record, sent?.Id ?? record.QboId!, sent?.SyncToken ?? record.QboSyncToken ?? "0", member.Hash, member.Operation,
                member.Operation == "Void" ? null : SyncAmountCheck.Warning(sent, member.ExpectedTotal));
            if (member.RemoveOnSuccess)
            {
                Forget(record);
            }
        }

        private static QboEntity? EntityOf(QboEntities response, string entity) => entity switch
        {
            "Customer" => response.Customer,
            "Item" => response.Item,
            "Invoice" => response.Invoice,
            "Payment" => response.Payment,
            _ => null,
        };

        /// <summary>
        /// Disconnected, or QuickBooks no longer accepts the connection: the run stops at once, sends nothing more, and
        /// marks nothing failed, since the records are not at fault (the worker reports "not connected").
        /// </summary>
        private static bool EndsTheRun(QuickBooksException ex) => ex.Error.Kind is QuickBooksErrorKind.Unauthorized or QuickBooksErrorKind.Forbidden;

        private static bool IsLostResponse(Exception ex, CancellationToken cancellationToken) =>
            ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);

        private sealed class DbGateRelease(SemaphoreSlim gate) : IDisposable
        {
            private SemaphoreSlim? _gate = gate;

            public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
        }
    }
}

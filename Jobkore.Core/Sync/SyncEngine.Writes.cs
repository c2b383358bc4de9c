using System.Globalization;
using System.Text.Json;
using Jobkore.Core.QuickBooks;
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

        private void Queue(PendingWrite write) => _queued.Add(write);

        /// <summary>Sends the queued writes of one step: in batches of up to <c>batchSize</c>, or one request each.</summary>
        private async Task FlushAsync(CancellationToken cancellationToken)
        {
            var writes = _queued.ToList();
            _queued.Clear();
            if (batchSize <= 1 || writes.Count == 1)
            {
                foreach (var write in writes)
                {
                    await SendOneAsync(write, cancellationToken);
                }

                return;
            }

            foreach (var chunk in writes.Chunk(batchSize))
            {
                await SendBatchAsync(chunk, cancellationToken);
            }
        }

        // ---- One request per record ----

        private async Task SendOneAsync(PendingWrite write, CancellationToken cancellationToken)
        {
            var record = write.Record;
            switch (write.Operation)
            {
                case "Create":
                    await SendAsync(write, requestId => qbo.CreateAsync(company, write.Entity, write.Body, requestId, cancellationToken), cancellationToken);
                    break;
                case "Update":
                    await UpdateAsync(write, cancellationToken);
                    break;
                case "Void" when write.Entity == "Invoice":
                    await SendAsync(write, requestId => qbo.VoidInvoiceAsync(company, record.QboId!, record.QboSyncToken!, requestId, cancellationToken), cancellationToken);
                    break;
                case "Void" when write.Entity == "Payment":
                    await SendAsync(write, requestId => qbo.VoidPaymentAsync(company, record.QboId!, record.QboSyncToken!, requestId, cancellationToken), cancellationToken);
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
            var requestId = record.PendingRequestId ?? Guid.NewGuid().ToString("N");
            record.BeginAttempt(requestId, Now);
            await db.SaveChangesAsync(CancellationToken.None);
            try
            {
                Requests++;
                Apply(write.Record, ToMember(write, "1"), EntityOf(await call(requestId), write.Entity), null);
            }
            catch (QuickBooksException ex) when (!EndsTheRun(ex))
            {
                Fail(record, SyncErrorMessages.For(ex.Error, write.What), ex.Error.Code, ex.Error.IntuitTid, keepRequestId: ex.Error.IsRetryable, operation: write.Operation, raw: ex.Error.Detail ?? ex.Error.Message);
            }
            catch (Exception ex) when (IsLostResponse(ex, cancellationToken))
            {
                // QuickBooks may have stored it: the next attempt replays the same requestid and gets the original answer.
                Fail(record, SyncErrorMessages.LostResponse, null, null, keepRequestId: true, operation: write.Operation, raw: ex.Message);
            }

            // Recording what QuickBooks answered must not be lost to a cancellation (STYLE.md rule 12).
            await db.SaveChangesAsync(CancellationToken.None);
        }

        /// <summary>An update with the stored SyncToken; if QuickBooks says it is stale (5010), read the current one and apply once more.</summary>
        private async Task UpdateAsync(PendingWrite write, CancellationToken cancellationToken)
        {
            var body = write.Body;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var record = write.Record;
                    record.BeginAttempt(record.PendingRequestId ?? Guid.NewGuid().ToString("N"), Now);
                    await db.SaveChangesAsync(CancellationToken.None);
                    Requests++;
                    var response = await qbo.UpdateAsync(company, write.Entity, body, record.PendingRequestId!, cancellationToken);
                    Apply(record, ToMember(write, "1"), EntityOf(response, write.Entity), null);
                    await db.SaveChangesAsync(CancellationToken.None);
                    return;
                }
                catch (QuickBooksException ex) when (ex.Error.Kind == QuickBooksErrorKind.Stale && attempt == 1)
                {
                    // Jobkore is the source of truth for what it sends: take QuickBooks' current SyncToken and apply again.
                    Requests++;
                    var current = EntityOf(await qbo.ReadAsync(company, write.Entity, write.Record.QboId!, cancellationToken), write.Entity);

                    // QuickBooks answered that requestid (stale): the next try needs a new one, or QBO replays the same fault.
                    write.Record.FailedWith(SyncErrorMessages.For(ex.Error, write.What), ex.Error.Code, ex.Error.IntuitTid, Now);
                    db.SyncAttempts.Add(new SyncAttempt(businessId, company.RealmId, write.Record.EntityType, write.Record.EntityId, Now, "Update", false, write.Record.QboId,
                        ex.Error.Code, "Changed in QuickBooks meanwhile; read again and applied Jobkore's version once more.", ex.Error.IntuitTid));
                    body = body with { SyncToken = current?.SyncToken ?? body.SyncToken };
                }
                catch (QuickBooksException ex) when (!EndsTheRun(ex))
                {
                    Fail(write.Record, SyncErrorMessages.For(ex.Error, write.What), ex.Error.Code, ex.Error.IntuitTid, keepRequestId: ex.Error.IsRetryable, operation: "Update", raw: ex.Error.Detail ?? ex.Error.Message);
                    await db.SaveChangesAsync(CancellationToken.None);
                    return;
                }
                catch (Exception ex) when (IsLostResponse(ex, cancellationToken))
                {
                    Fail(write.Record, SyncErrorMessages.LostResponse, null, null, keepRequestId: true, operation: "Update", raw: ex.Message);
                    await db.SaveChangesAsync(CancellationToken.None);
                    return;
                }
            }
        }

        // ---- Batches ----

        /// <summary>Saves the batch (requestid, request, members) before sending it, then applies each item's own answer.</summary>
        private async Task SendBatchAsync(IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken)
        {
            var members = writes.Select((w, i) => ToMember(w, (i + 1).ToString(CultureInfo.InvariantCulture))).ToList();
            var request = new QboBatchRequest([.. writes.Select((w, i) => BatchItem(members[i].BId, w))]);
            var batch = new SyncBatch(businessId, company.RealmId, Guid.NewGuid().ToString("N"), JsonSerializer.Serialize(request, QboJson.Options),
                JsonSerializer.Serialize(members, QboJson.Options), Now);
            foreach (var write in writes)
            {
                write.Record.BeginBatchAttempt(Now);
            }

            db.SyncBatches.Add(batch);
            await db.SaveChangesAsync(CancellationToken.None);
            await AnswerBatchAsync(batch, request, members, writes.ToDictionary(w => (w.Record.EntityType, w.Record.EntityId)), cancellationToken);
        }

        /// <summary>Resends, unchanged and with the same requestid, every batch whose answer an earlier run never got.</summary>
        private async Task ResendPendingBatchesAsync(CancellationToken cancellationToken)
        {
            var pending = await db.SyncBatches.Where(b => b.RealmId == company.RealmId).OrderBy(b => b.Id).ToListAsync(cancellationToken);
            foreach (var batch in pending)
            {
                var request = JsonSerializer.Deserialize<QboBatchRequest>(batch.Payload, QboJson.Options)!;
                var members = JsonSerializer.Deserialize<List<BatchMember>>(batch.Members, QboJson.Options)!;
                foreach (var member in members)
                {
                    RecordFor(member.EntityType, member.EntityId).BeginBatchAttempt(Now);
                }

                await AnswerBatchAsync(batch, request, members, [], cancellationToken);
            }
        }

        private async Task AnswerBatchAsync(SyncBatch batch, QboBatchRequest request, List<BatchMember> members,
            Dictionary<(SyncEntityType, int), PendingWrite> writes, CancellationToken cancellationToken)
        {
            try
            {
                Requests++;
                var response = await qbo.BatchAsync(company, request.BatchItemRequest, batch.RequestId, cancellationToken);
                var answers = response.BatchItemResponse.Where(r => r.BId is not null).ToDictionary(r => r.BId!);
                var staleUpdates = new List<PendingWrite>();
                foreach (var member in members)
                {
                    var record = RecordFor(member.EntityType, member.EntityId);
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
                        Apply(record, member, EntityOf(answer, member.Entity), batch.RequestId);
                    }
                }

                db.SyncBatches.Remove(batch);
                await db.SaveChangesAsync(CancellationToken.None);
                foreach (var stale in staleUpdates)
                {
                    await UpdateAsync(stale, cancellationToken);
                }
            }
            catch (QuickBooksException ex) when (!ex.Error.IsRetryable && !EndsTheRun(ex))
            {
                // QuickBooks answered the whole batch with a fault: nothing in it was done.
                foreach (var member in members)
                {
                    Fail(RecordFor(member.EntityType, member.EntityId), SyncErrorMessages.For(ex.Error, member.What), ex.Error.Code, ex.Error.IntuitTid, operation: member.Operation,
                        raw: ex.Error.Detail ?? ex.Error.Message);
                }

                db.SyncBatches.Remove(batch);
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (Exception ex) when ((ex is QuickBooksException q && !EndsTheRun(q)) || IsLostResponse(ex, cancellationToken))
            {
                // No answer: the batch stays saved and the next run resends it as it is.
                foreach (var member in members)
                {
                    _inUnansweredBatch.Add((member.EntityType, member.EntityId));
                    Fail(RecordFor(member.EntityType, member.EntityId), SyncErrorMessages.LostResponse, null, null, keepRequestId: true, operation: member.Operation, raw: ex.Message);
                }

                await db.SaveChangesAsync(CancellationToken.None);
            }
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

        /// <summary>Records QuickBooks' answer for one record: its id, SyncToken and the hash of what was sent.</summary>
        private void Apply(SyncRecord record, BatchMember member, QboEntity? sent, string? batchRequestId)
        {
            if (sent?.Id is null && record.QboId is null)
            {
                Fail(record, SyncErrorMessages.LostResponse, null, null, operation: member.Operation, raw: $"QuickBooks answered without the record (batch {batchRequestId}).");
                return;
            }

            Succeed(record, sent?.Id ?? record.QboId!, sent?.SyncToken ?? record.QboSyncToken ?? "0", member.Hash, member.Operation,
                member.Operation == "Void" ? null : SyncAmountCheck.Warning(sent, member.ExpectedTotal));
            if (member.RemoveOnSuccess)
            {
                db.SyncRecords.Remove(record);
                _records.Remove((record.EntityType, record.EntityId));
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
    }
}

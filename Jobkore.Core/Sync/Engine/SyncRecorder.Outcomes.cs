using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.Sync.Projection;
using Jobkore.Core.Sync.Journal;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.Sync.Engine;

/// <summary>One write's outcome to record; <paramref name="Retrying"/> when a stale write is sent once more straight after.</summary>
internal sealed record RecordedOutcome(JournaledWrite Write, WriteOutcome Outcome, bool Retrying = false);

internal sealed partial class SyncRecorder
{
    /// <summary>What one answer means for the record: the one place outcomes turn into sync records and history.</summary>
    private void Apply(JournaledWrite write, WriteOutcome outcome, bool retrying, bool fresh)
    {
        var record = Track(RecordFor(write.EntityType, write.EntityId));
        var operation = write.Operation == QboOperation.FullUpdate ? "Update" : write.Operation.ToString();
        record.BeginAttempt(Now);
        switch (outcome.Kind)
        {
            case WriteOutcomeKind.Pushed when outcome.Answer?.Id is null && record.QboId is null:
                Fail(record, operation, SyncErrorMessages.LostResponse, null, null, "QuickBooks answered without the record.");
                break;
            case WriteOutcomeKind.Pushed when write.Interim:
                // QuickBooks holds the name moved aside, which is no content of Jobkore's: the record waits for its
                // own write (even if its edit is undone meanwhile), which counts once it is answered.
                if (outcome.Answer is { } moved)
                {
                    record.SeenInQuickBooks(QboOwnedFields.Values(write.Entity, QboOwnedFields.ToJson(moved)).ToSnapshot(), moved.SyncToken);
                }

                record.SendAgain();
                Attempt(record, operation, true, record.QboId, null, write.Note, null);
                break;
            case WriteOutcomeKind.Pushed:
                var answer = outcome.Answer;
                if (fresh && write is { Operation: QboOperation.Create, Entity: QboEntityKind.Customer })
                {
                    _newCustomers[answer!.Id!] = true;
                }

                var warning = write.Operation == QboOperation.Void ? null : SyncAmountCheck.Warning(answer, write.ExpectedTotal);
                var qboId = answer?.Id ?? record.QboId!;
                record.Succeeded(qboId, answer?.SyncToken ?? record.QboSyncToken ?? "0", write.Hash, Now, warning, write.Held,
                    answer is null ? null : QboOwnedFields.Values(write.Entity, QboOwnedFields.ToJson(answer)).ToSnapshot());
                Attempt(record, operation, true, qboId, null, warning ?? write.Note, null);
                Counts.CountSent(record.EntityType);
                Progress();
                if (write.RemoveOnSuccess)
                {
                    Forget(record);
                }

                break;
            case WriteOutcomeKind.InDoubt:
                _inDoubt[(write.EntityType, write.EntityId)] = true;
                Counts.CountTransient();
                Fail(record, operation, outcome.Error is { } transient ? SyncErrorMessages.For(transient, write.What) : SyncErrorMessages.LostResponse,
                    outcome.Error?.Code, outcome.Error?.IntuitTid, outcome.Raw);
                break;
            case WriteOutcomeKind.Stale when retrying:
                Attempt(record, operation, false, record.QboId, outcome.Error!.Code, "Changed in QuickBooks meanwhile; read again and sent once more.", outcome.Error.IntuitTid);
                break;
            case WriteOutcomeKind.Gone when write is { Operation: QboOperation.Void }:
                // Deleted in QuickBooks: what the void was for (nothing owed there) already holds.
                Attempt(record, operation, true, record.QboId, outcome.Error!.Code, $"{write.What.AtStart} is not in QuickBooks any more (deleted there): nothing left to void.",
                    outcome.Error.IntuitTid);
                if (write.RemoveOnSuccess)
                {
                    Forget(record);
                }
                else
                {
                    record.NothingToSend(write.Hash, Now);
                }

                Counts.CountSent(record.EntityType);
                Progress();
                break;
            case WriteOutcomeKind.Rejected or WriteOutcomeKind.Stale or WriteOutcomeKind.Gone:
                var error = outcome.Error!;
                if (outcome.Passing)
                {
                    Counts.CountTransient();
                }

                var message = write.RemoveOnSuccess ? SyncErrorMessages.ForVoidOfRemovedPayment(error, write.What)
                    : SyncErrorMessages.For(error, write.What, isUpdate: write.Operation is QboOperation.Update or QboOperation.FullUpdate);
                Fail(record, operation, message, error.Code, error.IntuitTid, outcome.Raw);
                break;
            default:
                throw new InvalidOperationException($"Unknown write outcome {outcome.Kind}.");
        }
    }

    private void Fail(SyncRecord record, string operation, string message, string? code, string? intuitTid, string? raw)
    {
        Track(record).FailedWith(message, code, intuitTid, Now);
        Attempt(record, operation, false, record.QboId, code, raw ?? message, intuitTid);
        Counts.CountFailed(record.EntityType);
        Progress();
        LogPushFailed(logger, record.EntityType, record.EntityId, company.RealmId, code, intuitTid);
    }

    private void Attempt(SyncRecord record, string operation, bool succeeded, string? qboId, string? code, string? message, string? intuitTid) =>
        db.SyncAttempts.Add(new SyncAttempt(businessId, company.RealmId, record.EntityType, record.EntityId, Now, operation, succeeded, qboId, code, message, intuitTid));

    private void Progress() => notifier.Publish(new SyncRunProgress(businessId, Math.Min(++_done, _total), _total));

    /// <summary>Deletes a sync record (if it was ever written) and forgets it.</summary>
    private void Forget(SyncRecord record)
    {
        if (record.Id != 0 || db.Entry(record).State == EntityState.Added)
        {
            db.SyncRecords.Remove(Track(record));
        }

        _records.TryRemove((record.EntityType, record.EntityId), out _);
    }

    /// <summary>
    /// Starts tracking a sync record before it is changed, so the next save writes the change (and inserts it if it is
    /// new): each save writes only the records its requests touched.
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

    /// <summary>
    /// Saves in one transaction, with <paramref name="alsoInTransaction"/>, then lets go of everything saved, so a run
    /// of thousands of records saves as fast at the end as at the start. While a sync lease is held, the transaction
    /// first makes sure it still is: a run whose lease another process took writes nothing more — neither a request
    /// nor an answer (the journal keeps that for the run that took over).
    /// </summary>
    private async Task SaveAsync(Func<Task>? alsoInTransaction = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        if (leaseHolder is not null && !await SyncLeases.RenewAsync(db, businessId, leaseHolder, Now, CancellationToken.None))
        {
            db.ChangeTracker.Clear();
            throw new SyncLeaseLostException();
        }

        await db.SaveChangesAsync(CancellationToken.None);
        if (alsoInTransaction is not null)
        {
            await alsoInTransaction();
        }

        await transaction.CommitAsync(CancellationToken.None);
        db.ChangeTracker.Clear();
    }

    private async Task<IDisposable> LockAsync()
    {
        await _gate.WaitAsync(CancellationToken.None);
        return new GateRelease(_gate);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send {EntityType} {EntityId} to QuickBooks company {RealmId}: code {Code}, intuit_tid {IntuitTid}")]
    private static partial void LogPushFailed(ILogger logger, SyncEntityType entityType, int entityId, string realmId, string? code, string? intuitTid);

    private sealed class GateRelease(SemaphoreSlim gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }
}

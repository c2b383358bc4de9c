using System.Text.Json.Nodes;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.Sync.Projection;
using Jobkore.Core.SyncState;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// Chooses the write that brings one QuickBooks record to the projection: a create; a sparse update while nothing
/// QuickBooks holds is to be emptied; else a full update of the record read just before (a sparse update cannot be
/// relied on to remove a value, docs/quickbooks-api.md §10); after a link, nothing when QuickBooks already holds the same.
/// </summary>
internal static class SyncWrites
{
    public static SyncWrite Create(SyncRecord record, string hash, SyncSubject what, QboEntityKind entity, QboEntity desired, decimal? expectedTotal = null)
    {
        var body = QboOwnedFields.ToJson(desired);
        return new SyncWrite(record, hash, what, QboOperation.Create, entity, body) { Held = QboOwnedFields.Held(entity, body), ExpectedTotal = expectedTotal };
    }

    /// <summary>An update of the record's linked QuickBooks record; <paramref name="note"/> goes into the history with its answer.</summary>
    public static SyncWrite Update(SyncRecord record, string hash, SyncSubject what, QboEntityKind entity, QboEntity desired, decimal? expectedTotal = null, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Update(record, new QboTarget(record.QboId!, record.QboSyncToken ?? "0", record.HeldFields), hash, what, entity, desired, expectedTotal, note);
    }

    /// <summary>
    /// After linking <paramref name="record"/> to <paramref name="found"/> (same name, or same number, customer and
    /// total): null when QuickBooks holds what Jobkore would send; otherwise the update, saying which fields differed.
    /// The record itself changes only with the answer.
    /// </summary>
    public static SyncWrite? AfterLink(SyncRecord record, string hash, SyncSubject what, QboEntityKind entity, QboEntity desired, QboEntity found, decimal? expectedTotal = null)
    {
        ArgumentNullException.ThrowIfNull(found);
        var actual = QboOwnedFields.ToJson(found);
        var differences = QboOwnedFields.Differences(entity, QboOwnedFields.ToJson(desired), actual);
        return differences.Count == 0 ? null
            : Update(record, new QboTarget(found.Id!, found.SyncToken ?? "0", QboOwnedFields.Held(entity, actual)), hash, what, entity, desired, expectedTotal,
                $"Linked to the {entity} of the same {(entity == QboEntityKind.Invoice ? "number" : "name")} in QuickBooks, "
                + $"which differed ({string.Join(", ", differences.Select(d => d.Field))}): sent Jobkore's version.");
    }

    /// <summary>
    /// The sparse update <paramref name="write"/> as a full update when <paramref name="current"/> (the record as just
    /// read) holds an owned field the write leaves empty — a value entered in QuickBooks meanwhile; otherwise unchanged.
    /// </summary>
    public static SyncWrite EmptyingWhatQuickBooksHolds(SyncWrite write, JsonObject current)
    {
        ArgumentNullException.ThrowIfNull(write);
        var emptied = write.Operation == QboOperation.Update
            ? QboOwnedFields.Held(write.Entity, current) & ~(write.Held ?? QboFieldSet.None) & QboOwnedFields.Optional(write.Entity)
            : QboFieldSet.None;
        if (emptied == QboFieldSet.None)
        {
            return write;
        }

        var body = (JsonObject)write.Body.DeepClone();
        body.Remove("sparse");
        return write with { Operation = QboOperation.FullUpdate, Body = body, Note = Join(write.Note, EmptiedNote(write.Entity, emptied)) };
    }

    /// <summary>What QuickBooks fields <paramref name="desired"/> gives a value: what a linked record holds when it is the same.</summary>
    public static QboFieldSet Held(QboEntityKind entity, QboEntity desired) => QboOwnedFields.Held(entity, QboOwnedFields.ToJson(desired));

    private static SyncWrite Update(SyncRecord record, QboTarget target, string hash, SyncSubject what, QboEntityKind entity, QboEntity desired, decimal? expectedTotal,
        string? note)
    {
        var body = QboOwnedFields.ToJson(desired);
        var held = QboOwnedFields.Held(entity, body);
        var emptied = (target.Held ?? QboFieldSet.All) & ~held & QboOwnedFields.Optional(entity);
        body["Id"] = target.Id;
        body["SyncToken"] = target.SyncToken;
        if (emptied == QboFieldSet.None)
        {
            body["sparse"] = true;
        }
        else
        {
            note = Join(note, target.Held is null ? "Sent in full, so that what is empty in Jobkore is empty in QuickBooks too." : EmptiedNote(entity, emptied));
        }

        return new SyncWrite(record, hash, what, emptied == QboFieldSet.None ? QboOperation.Update : QboOperation.FullUpdate, entity, body)
        {
            Held = held, ExpectedTotal = expectedTotal, Note = note,
        };
    }

    /// <summary>Voids QuickBooks invoice or payment <paramref name="qboId"/> with the SyncToken Jobkore last saw (a stale one is read again and retried).</summary>
    public static SyncWrite Void(SyncRecord record, string hash, SyncSubject what, QboEntityKind entity, string qboId, string? syncToken, bool removeOnSuccess = false,
        string? note = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var body = new JsonObject { ["Id"] = qboId, ["SyncToken"] = syncToken ?? "0" };
        if (entity == QboEntityKind.Payment)
        {
            // docs/quickbooks-api.md §2: a payment is voided by a sparse update with include=void.
            body["sparse"] = true;
        }

        return new SyncWrite(record, hash, what, QboOperation.Void, entity, body) { Held = record.HeldFields, RemoveOnSuccess = removeOnSuccess, Note = note };
    }

    /// <summary>The QuickBooks record a write goes to, and which owned fields it holds (null: not known).</summary>
    private sealed record QboTarget(string Id, string SyncToken, QboFieldSet? Held);

    private static string EmptiedNote(QboEntityKind entity, QboFieldSet emptied) => $"Emptied in QuickBooks too: {QboOwnedFields.Describe(entity, emptied)}.";

    private static string Join(string? first, string second) => first is null ? second : $"{first} {second}";
}

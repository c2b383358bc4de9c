using System.Text.Json;
using System.Text.Json.Serialization;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.SyncState;

namespace Jobkore.Core.Sync.Journal;

/// <summary>
/// What a journal entry remembers of each write in it, so its answer can be recorded even by a later run: the record,
/// the hash of the snapshot its body came from, and what the answer means.
/// </summary>
/// <param name="BId">The write's id within a batch ("1" for a single write).</param>
/// <param name="EntityType">The Jobkore record's type.</param>
/// <param name="EntityId">The Jobkore record's id.</param>
/// <param name="Hash">The content hash of the snapshot the body was made from: recorded as pushed once answered.</param>
/// <param name="What">How messages name the record.</param>
/// <param name="Operation">What the write asks of QuickBooks.</param>
/// <param name="Entity">The QuickBooks entity written.</param>
/// <param name="Held">The optional owned fields QuickBooks holds once it is answered; null when not known (a write journaled before this was kept).</param>
/// <param name="ExpectedTotal">Jobkore's invoice total, compared with QuickBooks' after the write.</param>
/// <param name="RemoveOnSuccess">The record goes once answered (a deleted payment's void).</param>
/// <param name="Note">Said in the history with the answer (e.g. which fields of a linked record differed).</param>
/// <param name="Interim">
/// A step on the way, not the record's content: a name moved aside for a moment so that another record can take it. Once
/// answered, what QuickBooks holds is recorded; the record still waits for its own write.
/// </param>
public sealed record JournaledWrite(string BId, SyncEntityType EntityType, int EntityId, string Hash, SyncSubject What, QboOperation Operation, QboEntityKind Entity,
    QboFieldSet? Held, decimal? ExpectedTotal = null, bool RemoveOnSuccess = false, string? Note = null, bool Interim = false)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.General) { Converters = { new JsonStringEnumConverter() } };

    public static string Serialize(IReadOnlyList<JournaledWrite> writes) => JsonSerializer.Serialize(writes, s_json);

    public static List<JournaledWrite> Deserialize(string json) =>
        JsonSerializer.Deserialize<List<JournaledWrite>>(json, s_json) ?? throw new JsonException("A journal entry without writes.");
}

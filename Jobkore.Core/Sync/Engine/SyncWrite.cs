using System.Text.Json.Nodes;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.Sync.Journal;
using Jobkore.Core.SyncState;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// One write a run wants QuickBooks to do for one record: <paramref name="Body"/> is the QBO JSON to send (for a full
/// update, the projection that is laid onto the record read just before sending).
/// </summary>
internal sealed record SyncWrite(SyncRecord Record, string Hash, SyncSubject What, QboOperation Operation, QboEntityKind Entity, JsonObject Body)
{
    /// <summary>The optional owned fields QuickBooks holds once it is answered (the body's, for a create or update); null when not known.</summary>
    public QboFieldSet? Held { get; init; }

    public decimal? ExpectedTotal { get; init; }

    public bool RemoveOnSuccess { get; init; }

    public string? Note { get; init; }

    /// <summary>A name moved aside for a moment so that another record can take it (<see cref="JournaledWrite.Interim"/>).</summary>
    public bool Interim { get; init; }

    /// <summary>The one retry after QuickBooks said the SyncToken was stale (5010).</summary>
    public bool IsStaleRetry { get; init; }

    /// <summary>The QuickBooks record written to; null for a create.</summary>
    public string? QboId => Body["Id"]?.GetValue<string>();

    /// <summary>Only one write goes per request: a full update needs the record read just before it.</summary>
    public bool MustGoAlone => Operation == QboOperation.FullUpdate;

    public JournaledWrite ToJournal(string bId) =>
        new(bId, Record.EntityType, Record.EntityId, Hash, What, Operation, Entity, Held, ExpectedTotal, RemoveOnSuccess, Note, Interim);
}

/// <summary>How QuickBooks answered one write, one explicit kind each, handled in a switch whose default throws; run-ending answers (401, 403) are exceptions instead.</summary>
internal enum WriteOutcomeKind
{
    /// <summary>Done: the answer carries the record's id and new SyncToken.</summary>
    Pushed,

    /// <summary>No answer (lost, 5xx, throttled past waiting): it may be done. The journal keeps it, resent unchanged.</summary>
    InDoubt,

    /// <summary>Refused for its content (validation, business rule): the message says what to fix.</summary>
    Rejected,

    /// <summary>5010: the SyncToken sent was not QuickBooks' latest.</summary>
    Stale,

    /// <summary>610: the record (or one it refers to) is not in QuickBooks.</summary>
    Gone,
}

/// <summary>One write's answer; <see cref="Passing"/> marks a refusal for a passing reason (an item of an answered batch QuickBooks could not do just then), tried again soon.</summary>
internal sealed record WriteOutcome(WriteOutcomeKind Kind, QboEntity? Answer = null, QuickBooksError? Error = null, string? Raw = null, bool Passing = false)
{
    public static WriteOutcome Pushed(QboEntity? answer) => new(WriteOutcomeKind.Pushed, answer);

    /// <summary>What a fault QuickBooks answered for a whole request means for its writes (401 and 403 end the run before this).</summary>
    public static WriteOutcome Of(QuickBooksError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var kind = error.Kind switch
        {
            QuickBooksErrorKind.Transient or QuickBooksErrorKind.Throttled => WriteOutcomeKind.InDoubt,
            QuickBooksErrorKind.Stale => WriteOutcomeKind.Stale,
            QuickBooksErrorKind.NotFound => WriteOutcomeKind.Gone,
            QuickBooksErrorKind.Validation or QuickBooksErrorKind.DuplicateName or QuickBooksErrorKind.DuplicateDocNumber
                or QuickBooksErrorKind.Unauthorized or QuickBooksErrorKind.Forbidden => WriteOutcomeKind.Rejected,
            _ => throw new ArgumentOutOfRangeException(nameof(error), error.Kind, "Not a QuickBooks error kind."),
        };
        return new WriteOutcome(kind, Error: error, Raw: error.Detail ?? error.Message);
    }

    /// <summary>
    /// What the fault of one item of an answered batch means for its write. The batch's answer is final — resending it
    /// replays the same answer — so a passing fault there refuses the write (tried again soon with a new requestid)
    /// rather than leaving it in doubt.
    /// </summary>
    public static WriteOutcome OfBatchItem(QuickBooksError error) =>
        Of(error) is { Kind: WriteOutcomeKind.InDoubt } passing ? passing with { Kind = WriteOutcomeKind.Rejected, Passing = true } : Of(error);

    /// <summary>
    /// What an exception from sending means, or null when it ends the run instead (not connected any more, the run
    /// cancelled, a bug): those propagate.
    /// </summary>
    public static WriteOutcome? Of(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        QuickBooksException { Error.Kind: QuickBooksErrorKind.Unauthorized or QuickBooksErrorKind.Forbidden } => null,
        QuickBooksException q => Of(q.Error),
        HttpRequestException => new WriteOutcome(WriteOutcomeKind.InDoubt, Raw: exception.Message),
        TaskCanceledException when !cancellationToken.IsCancellationRequested => new WriteOutcome(WriteOutcomeKind.InDoubt, Raw: exception.Message),
        _ => null,
    };
}

using System.Text.Json.Nodes;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Mappings;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.Sync.Journal;
using Jobkore.Core.Sync.Projection;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// One write a run wants QuickBooks to do for one record: <paramref name="Body"/> is the QBO JSON to send (for a full
/// update, the projection that is laid onto the record read just before sending).
/// </summary>
internal sealed record SyncWrite(SyncRecord Record, string Hash, SyncSubject What, QboOperation Operation, QboEntityKind Entity, JsonObject Body)
{
    /// <summary>The optional owned fields the body gives a value: what QuickBooks holds once it is answered.</summary>
    public QboFieldSet Held { get; init; }

    public decimal? ExpectedTotal { get; init; }

    public bool RemoveOnSuccess { get; init; }

    public string? Note { get; init; }

    /// <summary>The one retry after QuickBooks said the SyncToken was stale (5010).</summary>
    public bool IsStaleRetry { get; init; }

    /// <summary>The QuickBooks record written to; null for a create.</summary>
    public string? QboId => Body["Id"]?.GetValue<string>();

    /// <summary>Only one write goes per request: a full update needs the record read just before it.</summary>
    public bool MustGoAlone => Operation == QboOperation.FullUpdate;

    public JournaledWrite ToJournal(string bId) =>
        new(bId, Record.EntityType, Record.EntityId, Hash, What, Operation, Entity, Held, ExpectedTotal, RemoveOnSuccess, Note);
}

/// <summary>How QuickBooks answered one write (STYLE.md rule 11); run-ending answers (401, 403) are exceptions instead.</summary>
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

internal sealed record WriteOutcome(WriteOutcomeKind Kind, QboEntity? Answer = null, QuickBooksError? Error = null, string? Raw = null)
{
    public static WriteOutcome Pushed(QboEntity? answer) => new(WriteOutcomeKind.Pushed, answer);

    /// <summary>What a fault QuickBooks answered means for the write.</summary>
    public static WriteOutcome Of(QuickBooksError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var kind = error.Kind switch
        {
            QuickBooksErrorKind.Transient or QuickBooksErrorKind.Throttled => WriteOutcomeKind.InDoubt,
            QuickBooksErrorKind.Stale => WriteOutcomeKind.Stale,
            QuickBooksErrorKind.NotFound => WriteOutcomeKind.Gone,
            QuickBooksErrorKind.Validation or QuickBooksErrorKind.DuplicateName or QuickBooksErrorKind.DuplicateDocNumber => WriteOutcomeKind.Rejected,
            QuickBooksErrorKind.Unauthorized or QuickBooksErrorKind.Forbidden => throw new QuickBooksException(error),
            _ => throw new ArgumentOutOfRangeException(nameof(error), error.Kind, "Not a QuickBooks error kind."),
        };
        return new WriteOutcome(kind, Error: error, Raw: error.Detail ?? error.Message);
    }

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

namespace Jobkore.Core.QuickBooks.Client;

/// <summary>What a write asks of QuickBooks (docs/quickbooks-api.md §2 "Updates", "Delete / void / deactivate").</summary>
public enum QboOperation
{
    Create,

    /// <summary>A sparse update: only the fields sent change. It cannot be relied on to remove a value (docs/quickbooks-api.md §10).</summary>
    Update,

    /// <summary>A full update of a record read just before: every writable field it is not sent is emptied.</summary>
    FullUpdate,

    Void,
    Delete,
}

/// <summary>The QuickBooks entities Jobkore writes.</summary>
public enum QboEntityKind
{
    Customer,
    Item,
    Invoice,
    Payment,
}

/// <summary>
/// One write exactly as it goes over the wire. It is saved before it is sent and resent unchanged — same body, same
/// requestid — until QuickBooks answers, which then replays its first answer instead of doing the write twice.
/// </summary>
public sealed record QboWriteRequest(QboOperation Operation, QboEntityKind Entity, string RequestId, string Body)
{
    /// <summary>The path (under the company) and operation QuickBooks takes this write at.</summary>
    public string Path => (Operation, Entity) switch
    {
        (QboOperation.Void, QboEntityKind.Invoice) => "invoice?operation=void",
        (QboOperation.Void, QboEntityKind.Payment) => "payment?operation=update&include=void",
        (QboOperation.Void, _) => throw new InvalidOperationException($"QuickBooks cannot void a {Entity}; make it inactive instead."),
        (QboOperation.Delete, QboEntityKind.Invoice or QboEntityKind.Payment) => $"{Segment}?operation=delete",
        (QboOperation.Delete, _) => throw new InvalidOperationException($"QuickBooks cannot delete a {Entity}; make it inactive instead."),
        _ => Segment,
    };

    private string Segment => Entity.ToString().ToLowerInvariant();
}

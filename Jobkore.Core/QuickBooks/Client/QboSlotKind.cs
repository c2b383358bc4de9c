namespace Jobkore.Core.QuickBooks.Client;

/// <summary>What a request needs from its company's limits.</summary>
public enum QboSlotKind
{
    /// <summary>One request (a read, a query, one write).</summary>
    Request,

    /// <summary>A batch request: one request that also spends one of the batch requests a minute.</summary>
    Batch,

    /// <summary>
    /// A batch when the minute still has batch requests to spend, otherwise a single request: how the sync fills
    /// Intuit's ceiling, 40 batches of 30 operations and the other 460 requests of the minute carrying one each.
    /// </summary>
    BatchOrRequest,
}

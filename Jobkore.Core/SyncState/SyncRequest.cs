namespace Jobkore.Core.SyncState;

/// <summary>
/// A run asked for, kept in the database until one worker has performed it (docs/design.md §9), so it is performed by
/// whichever app instance takes the business's lease next, and survives the instance that asked for it or ran it
/// stopping or dying. The sync reads its trigger, invoices and result; here they are stored as text.
/// </summary>
public sealed class SyncRequest
{
    private SyncRequest()
    {
        Trigger = string.Empty;
    }

    public SyncRequest(int businessId, string trigger, string? invoiceIds, DateTimeOffset requestedAt, DateTimeOffset notBefore, int attempt = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trigger);
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        BusinessId = businessId;
        Trigger = trigger;
        InvoiceIds = invoiceIds;
        RequestedAt = requestedAt;
        NotBefore = notBefore;
        Attempt = attempt;
    }

    public long Id { get; private set; }

    public int BusinessId { get; private set; }

    /// <summary>Why the run was asked for (the sync's <c>SyncTrigger</c>, by name).</summary>
    public string Trigger { get; private set; }

    /// <summary>The invoices to send, as a JSON array; null for every waiting document.</summary>
    public string? InvoiceIds { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    /// <summary>When it may start: now, or later for the retry of what failed for a passing reason.</summary>
    public DateTimeOffset NotBefore { get; private set; }

    /// <summary>Which retry of what failed for a passing reason this is (1 for the first); 0 for any other request.</summary>
    public int Attempt { get; private set; }

    /// <summary>The worker (its lease holder name) performing it, once one has taken it under the business's lease.</summary>
    public string? ClaimedBy { get; private set; }

    /// <summary>When its run ended; null while it waits or runs.</summary>
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>How its run ended (the sync's <c>SyncRunOutcome</c>, by name).</summary>
    public string? Outcome { get; private set; }

    public string? Message { get; private set; }

    /// <summary>What its run did (the sync's <c>SyncSummary</c>, as JSON).</summary>
    public string? Summary { get; private set; }
}

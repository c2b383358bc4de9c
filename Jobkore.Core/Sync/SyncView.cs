using Jobkore.Core.Sync.Projection;

namespace Jobkore.Core.Sync;

/// <summary>
/// A record's sync state for a list or its page: status, the message to show (failure, warning, explanation), its QBO
/// id, and, when it changed in QuickBooks, what changed: field, Jobkore's value, QuickBooks' value.
/// </summary>
public sealed record SyncView(SyncStatus Status, string? Message, string? QboId)
{
    public IReadOnlyList<QboDifference> Differences { get; init; } = [];

    /// <summary>For a failed record: the code of the failure shown (QuickBooks' or Jobkore's own), which says what kind of fix it needs.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>For a failed record: when the failure shown happened.</summary>
    public DateTimeOffset? FailedAt { get; init; }
}

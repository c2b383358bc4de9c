using Jobkore.Core.Sync.Projection;

namespace Jobkore.Core.Sync;

/// <summary>
/// A record's sync state for a list or its page: status, the message to show (failure, warning, explanation), its QBO
/// id, and, when it changed in QuickBooks, what changed: field, Jobkore's value, QuickBooks' value.
/// </summary>
public sealed record SyncView(SyncStatus Status, string? Message, string? QboId)
{
    public IReadOnlyList<QboDifference> Differences { get; init; } = [];
}

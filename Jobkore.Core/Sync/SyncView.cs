namespace Jobkore.Core.Sync;

/// <summary>A record's sync state for a list or its page: status, the message to show (failure, warning, explanation) and its QBO id.</summary>
public sealed record SyncView(SyncStatus Status, string? Message, string? QboId);

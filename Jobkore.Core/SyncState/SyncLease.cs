namespace Jobkore.Core.SyncState;

/// <summary>
/// "A sync run for this business is going on", held by one worker until <see cref="ExpiresAt"/> and renewed by its
/// heartbeat, so two processes on one database never run the same business at once (docs/design.md §4 invariant 4).
/// </summary>
public sealed class SyncLease
{
    private SyncLease()
    {
        Holder = string.Empty;
    }

    public SyncLease(int businessId, string holder, DateTimeOffset expiresAt)
    {
        BusinessId = businessId;
        Holder = holder;
        ExpiresAt = expiresAt;
    }

    public int BusinessId { get; private set; }

    public string Holder { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }
}

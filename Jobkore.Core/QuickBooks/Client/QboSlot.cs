using System.Threading.RateLimiting;

namespace Jobkore.Core.QuickBooks.Client;

/// <summary>
/// A request's place within its company's limits: it counts in the company's minute and second from the moment it is
/// granted until a minute, and a second, after it is disposed (when the answer arrived). <see cref="Carry"/> sends it
/// with the next request of the caller's flow; <see cref="ReleaseUnused"/> gives back a slot nothing was sent with.
/// </summary>
public sealed class QboSlot : RateLimitLease
{
    internal static readonly RateLimitLease NoRoom = new Refused();
    private static readonly AsyncLocal<QboSlot?> Carried = new();
    private readonly QboRequestWindows _windows;
    private readonly RateLimitLease _inFlight;
    private int _claimed;
    private int _released;
    private bool _unused;

    internal QboSlot(string realmId, QboRequestWindows windows, RateLimitLease inFlight, bool isBatch)
    {
        RealmId = realmId;
        _windows = windows;
        _inFlight = inFlight;
        IsBatch = isBatch;
    }

    /// <summary>The company whose limits this slot is a place in.</summary>
    public string RealmId { get; }

    /// <summary>True when this slot is for a batch request.</summary>
    public bool IsBatch { get; }

    public override bool IsAcquired => true;

    public override IEnumerable<string> MetadataNames => [];

    /// <summary>
    /// Until the result is disposed, the next QuickBooks request made in this flow goes out with this slot instead of
    /// waiting for one of its own (<see cref="QboResilience"/> takes it for that request's first attempt).
    /// </summary>
    public IDisposable Carry()
    {
        var previous = Carried.Value;
        Carried.Value = this;
        return new Restore(previous);
    }

    /// <summary>Nothing was sent with this slot: it frees its place and counts for nothing.</summary>
    public void ReleaseUnused()
    {
        if (Volatile.Read(ref _claimed) == 0)
        {
            _unused = true;
        }

        Dispose();
    }

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = null;
        return false;
    }

    /// <summary>
    /// The slot carried into this flow, claimed for a request to the same company of the same kind; null when there is
    /// none to take (none carried, already used or given back, or for another request).
    /// </summary>
    internal static QboSlot? TakeCarried(string realmId, bool isBatch) =>
        Carried.Value is { } slot && slot.RealmId == realmId && slot.IsBatch == isBatch && Volatile.Read(ref slot._released) == 0
        && Interlocked.Exchange(ref slot._claimed, 1) == 0
            ? slot
            : null;

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _released, 1) == 0)
        {
            _windows.Return(IsBatch, used: !_unused);
            _inFlight.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class Restore(QboSlot? previous) : IDisposable
    {
        public void Dispose() => Carried.Value = previous;
    }

    private sealed class Refused : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

namespace Jobkore.Core.Sync.Backplane;

/// <summary>
/// Carries the events published in this app instance to the others and theirs to this one's <see cref="SyncNotifier"/>,
/// for app instances sharing one database (docs/design.md §3).
/// </summary>
internal interface ISyncBackplane
{
    /// <summary>Where events of other instances go; the notifier calls it once, when it is created.</summary>
    void Attach(SyncNotifier local);

    /// <summary>An event published here, for the other instances. Called on the publisher's path: returns at once, never throws.</summary>
    void Send(SyncEvent syncEvent);
}

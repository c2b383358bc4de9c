using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Jobkore.Core.Data;

/// <summary>
/// What a save of syncable records owes the sync, kept by the sync (Sync/Tracking/SyncBookkeeping) and called by
/// <see cref="JobkoreDbContext"/> in every save: before the rows are written, note which records change; once they are
/// written, in the same transaction, keep the rows derived from them in step; once that transaction commits, tell the
/// screens. Registered as an EF Core interceptor so every context built from the app's options has it, and so it hears
/// when a transaction the caller opened commits or rolls back.
/// </summary>
internal interface ISyncBookkeeping : IInterceptor
{
    /// <summary>The syncable records this save adds, changes or deletes; null when there are none.</summary>
    SyncSaveChanges? Collect(JobkoreDbContext db);

    /// <summary>Written but not committed: brings what is derived from the changed records up to date, in the same transaction.</summary>
    Task KeepInStepAsync(JobkoreDbContext db, SyncSaveChanges changes, CancellationToken cancellationToken);

    /// <summary>Committed: the changes can be told. Never called for a save that was rolled back.</summary>
    void Committed(int businessId, IReadOnlyList<SyncSaveChanges> changes);
}

/// <summary>One save's syncable records, as the change tracker had them before the save (keys are read after it).</summary>
internal sealed class SyncSaveChanges(IReadOnlyList<SyncSaveChanges.Entry> entries, bool deriveAll)
{
    /// <summary>No record in particular: derive the business's whole pending set again.</summary>
    public static SyncSaveChanges All { get; } = new([], deriveAll: true);

    /// <summary>A record and what the save did to it.</summary>
    public sealed record Entry(object Entity, Microsoft.EntityFrameworkCore.EntityState State);

    public IReadOnlyList<Entry> Entries { get; } = entries;

    /// <summary>Derive every record's entry again: the QuickBooks connection was added or changed (which company is connected may differ now), or records were written without the app.</summary>
    public bool DeriveAll { get; } = deriveAll;

    /// <summary>
    /// Records whose entries follow a saved one's without being saved themselves: the invoices and payments of a
    /// client whose customer review changed. Found while the set is kept in step, and told to the screens with the rest.
    /// </summary>
    public List<(SyncState.SyncEntityType Type, int Id)> Followers { get; } = [];
}

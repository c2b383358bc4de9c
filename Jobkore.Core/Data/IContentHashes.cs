namespace Jobkore.Core.Data;

/// <summary>
/// Keeps each syncable record's content hash (<see cref="SyncHashProperty"/>) current. <see cref="JobkoreDbContext"/>
/// calls it in every save, so a hash changes in the same SaveChanges as its record; what a hash covers is the sync's
/// business, not the data layer's.
/// </summary>
internal interface IContentHashes
{
    /// <summary>
    /// Sets the hashes of changed records. Returns the records whose hash depends on a key the database has not
    /// assigned yet (a new client saved with its first invoice): <see cref="Rehash"/> them after saving, inside the
    /// same transaction.
    /// </summary>
    ValueTask<IReadOnlyList<object>> UpdateAsync(JobkoreDbContext db, CancellationToken cancellationToken);

    /// <summary>Hashes again, now that the database has assigned the keys the first hash could not know.</summary>
    void Rehash(JobkoreDbContext db, IEnumerable<object> records);
}

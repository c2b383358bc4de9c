namespace Jobkore.Tests.TestSupport;

/// <summary>A test class with its own migrated SQLite file, created before each test and deleted after.</summary>
public abstract class DatabaseTest : IAsyncLifetime
{
    internal TestDatabase Db { get; private set; } = default!;

    protected virtual bool SeedDemoData => false;

    public virtual async ValueTask InitializeAsync() => Db = await TestDatabase.CreateAsync(SeedDemoData);

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

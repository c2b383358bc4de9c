using Jobkore.Core.Businesses;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Connect;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.QuickBooks.Settings;
using Jobkore.Core.SyncState;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Jobkore.Core.Data;

/// <summary>
/// Jobkore's records. Every business-owned set is filtered to the current business, and saving a record
/// of another business is refused, so no screen can show or change another business's data by mistake.
/// </summary>
public sealed class JobkoreDbContext(DbContextOptions<JobkoreDbContext> options, ICurrentBusiness currentBusiness) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>SQLite's case-insensitive collation, named by the configurations; PostgreSQL columns get <c>citext</c> instead.</summary>
    internal const string CaseInsensitiveCollation = "NOCASE";

    private readonly IContentHashes _hashes = options.FindExtension<ContentHashesOptionsExtension>()?.Hashes
        ?? throw new InvalidOperationException("A JobkoreDbContext keeps content hashes in every save: build its options with UseContentHashes.");

    /// <summary>Null for contexts built without the app's interceptors (design time, migration tests).</summary>
    private readonly ISyncBookkeeping? _bookkeeping = options.FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()?
        .Interceptors?.OfType<ISyncBookkeeping>().SingleOrDefault();

    /// <summary>Saves made inside a transaction the caller opened, told once it commits.</summary>
    private readonly List<SyncSaveChanges> _awaitingCommit = [];

    public DbSet<Business> Businesses => Set<Business>();

    public DbSet<Client> Clients => Set<Client>();

    public DbSet<CatalogItem> CatalogItems => Set<CatalogItem>();

    public DbSet<Invoice> Invoices => Set<Invoice>();

    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<QuickBooksConnection> QuickBooksConnections => Set<QuickBooksConnection>();

    public DbSet<QuickBooksSettings> QuickBooksSettings => Set<QuickBooksSettings>();

    public DbSet<QuickBooksAuthorizationRequest> QuickBooksAuthorizationRequests => Set<QuickBooksAuthorizationRequest>();

    public DbSet<SyncRecord> SyncRecords => Set<SyncRecord>();

    public DbSet<SyncAttempt> SyncAttempts => Set<SyncAttempt>();

    /// <summary>The records of the connected company that wait to be sent or for a person's choice (derived in every save).</summary>
    public DbSet<SyncPendingEntry> SyncPending => Set<SyncPendingEntry>();

    /// <summary>Clients that likely match a QuickBooks customer, reviewed by an admin before they are first sent.</summary>
    public DbSet<CustomerMatch> CustomerMatches => Set<CustomerMatch>();

    /// <summary>QuickBooks requests saved before they are sent, until answered (the write journal, docs/design.md §10).</summary>
    public DbSet<SyncJournalEntry> SyncJournal => Set<SyncJournalEntry>();

    /// <summary>Not business-filtered: the worker reads leases of every business.</summary>
    public DbSet<SyncLease> SyncLeases => Set<SyncLease>();

    /// <summary>Changes QuickBooks announced by webhook. Not business-filtered: they arrive for a company, before anyone knows whose.</summary>
    public DbSet<QuickBooks.Webhooks.QuickBooksWebhookEvent> QuickBooksWebhookEvents => Set<QuickBooks.Webhooks.QuickBooksWebhookEvent>();

    /// <summary>Runs asked for and not yet performed, then their results for a while. Not business-filtered: every worker claims any business's rows.</summary>
    public DbSet<SyncRequest> SyncRequests => Set<SyncRequest>();

    /// <summary>
    /// The Data Protection key ring, when it is kept in the database (several app instances share it). Not business-filtered:
    /// the keys encrypt every business's tokens and everyone's cookies.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// A context for the businesses table alone (start-up, sign-in): it has no current business, so touching a
    /// business-owned set throws instead of reading every business's records.
    /// </summary>
    internal static JobkoreDbContext ForBusinessesOnly(DbContextOptions<JobkoreDbContext> options) => new(options, NoCurrentBusiness.Instance);

    /// <summary>Read by the query filters each time a query runs.</summary>
    internal int CurrentBusinessId => currentBusiness.Profile.Id;

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Saves, keeping every syncable record's content hash current in the same transaction. When a hash needs a key
    /// the database assigns (a client saved together with its first invoice), the rows are saved, hashed, and saved
    /// again before the transaction commits. A save of syncable records also brings the pending set up to date in that
    /// transaction, and is told to the screens once it commits: at once when the save had its own transaction, when
    /// the caller's transaction commits otherwise, and never when it rolls back.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Look for changes once: every step below reads the tracker or changes it through its own API, so the four
        // further scans EF would make (business check, hashes, change notifications, the save) find nothing new.
        ChangeTracker.DetectChanges();
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            EnsureOwnBusiness();
            var provisional = await _hashes.UpdateAsync(this, cancellationToken);
            var changes = _bookkeeping?.Collect(this);
            if (provisional.Count == 0 && changes is null)
            {
                return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }

            var transaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
            await using (transaction)
            {
                var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, cancellationToken);
                if (provisional.Count > 0)
                {
                    _hashes.Rehash(this, provisional);
                    saved += await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
                }

                if (changes is not null)
                {
                    await _bookkeeping!.KeepInStepAsync(this, changes, cancellationToken);
                    _awaitingCommit.Add(changes);
                }

                if (transaction is not null)
                {
                    await transaction.CommitAsync(cancellationToken);
                }

                return saved;
            }
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>
    /// Derives the business's pending set again from its records, in a transaction of its own: after migrating to a
    /// version that introduced it, or after records were written without the app (a bulk load in SQL).
    /// </summary>
    internal async Task RederiveSyncPendingAsync(CancellationToken cancellationToken)
    {
        if (_bookkeeping is null)
        {
            throw new InvalidOperationException("This context was built without the sync's bookkeeping (the app's options add it as an interceptor).");
        }

        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        await _bookkeeping.KeepInStepAsync(this, SyncSaveChanges.All, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Saves rows derived inside <see cref="SaveChangesAsync(bool, CancellationToken)"/>, without deriving again.</summary>
    internal Task<int> SaveDerivedAsync(CancellationToken cancellationToken) => base.SaveChangesAsync(acceptAllChangesOnSuccess: true, cancellationToken);

    /// <summary>The context's transaction ended (the bookkeeping's interceptor hears it): tell what it committed, or forget what it rolled back.</summary>
    internal void TransactionEnded(bool committed)
    {
        if (_awaitingCommit.Count == 0)
        {
            return;
        }

        var changes = _awaitingCommit.ToArray();
        _awaitingCommit.Clear();
        if (committed)
        {
            _bookkeeping!.Committed(CurrentBusinessId, changes);
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(JobkoreDbContext).Assembly);
        modelBuilder.Entity<Client>().HasQueryFilter(e => e.BusinessId == CurrentBusinessId);
        modelBuilder.Entity<CatalogItem>().HasQueryFilter(e => e.BusinessId == CurrentBusinessId);
        modelBuilder.Entity<Invoice>().HasQueryFilter(e => e.BusinessId == CurrentBusinessId);
        modelBuilder.Entity<Payment>().HasQueryFilter(e => e.BusinessId == CurrentBusinessId);
        modelBuilder.Entity<QuickBooksConnection>().HasQueryFilter(e => e.BusinessId == CurrentBusinessId);
        modelBuilder.Entity<QuickBooksSettings>().HasQueryFilter(e => e.BusinessId == CurrentBusinessId);
        modelBuilder.Entity<QuickBooksAuthorizationRequest>().HasQueryFilter(e => e.BusinessId == CurrentBusinessId);
        modelBuilder.Entity<SyncRecord>().HasQueryFilter(e => e.BusinessId == CurrentBusinessId);
        modelBuilder.Entity<SyncPendingEntry>().HasQueryFilter(e => e.BusinessId == CurrentBusinessId);
        modelBuilder.Entity<CustomerMatch>().HasQueryFilter(e => e.BusinessId == CurrentBusinessId);
        modelBuilder.Entity<SyncAttempt>().HasQueryFilter(e => e.BusinessId == CurrentBusinessId);
        modelBuilder.Entity<SyncJournalEntry>().HasQueryFilter(e => e.BusinessId == CurrentBusinessId);
        if (Database.IsNpgsql())
        {
            UseCitextForCaseInsensitiveColumns(modelBuilder);
        }
    }

    /// <summary>
    /// PostgreSQL compares text case-sensitively, and its nondeterministic collations refuse LIKE (before version 18), so the
    /// columns SQLite compares with NOCASE (names and numbers: unique ignoring case, searched, sorted) are <c>citext</c>.
    /// </summary>
    private static void UseCitextForCaseInsensitiveColumns(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("citext");
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(t => t.GetProperties()))
        {
            if (property.GetCollation() == CaseInsensitiveCollation)
            {
                property.SetCollation(null);
                property.SetColumnType("citext");
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // SQLite cannot order or compare DateTimeOffset; store UTC ticks instead, on PostgreSQL too, so both databases
        // hold, order and compare the same values.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    private void EnsureOwnBusiness()
    {
        foreach (var entry in ChangeTracker.Entries<IBusinessOwned>())
        {
            if (entry.State != EntityState.Unchanged && entry.Entity.BusinessId != CurrentBusinessId)
            {
                throw new InvalidOperationException($"Refusing to save a {entry.Entity.GetType().Name} of another business.");
            }
        }
    }
}

file sealed class NoCurrentBusiness : ICurrentBusiness
{
    public static readonly NoCurrentBusiness Instance = new();

    public BusinessProfile Profile => throw new InvalidOperationException("This context reads the businesses table only; business-owned records need a current business.");
}

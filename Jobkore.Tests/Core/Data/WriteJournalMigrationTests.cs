using Jobkore.Core.Data;
using Jobkore.Core.Sync.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Jobkore.Tests.Core.Data;

/// <summary>Upgrading a database from before the write journal keeps its links and its unanswered batches, and drops the requestid column.</summary>
public sealed class WriteJournalMigrationTests
{
    [Fact]
    public async Task Migrate_ADatabaseWithSyncRecordsAndAnUnansweredBatch_KeepsTheLinks_AndTheBatchBecomesAJournalEntry()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("jobkore-migration-").FullName;
        var options = new DbContextOptionsBuilder<JobkoreDbContext>().UseSqlite($"Data Source={Path.Combine(folder, "jobkore.db")};Foreign Keys=False")
            .UseContentHashes(new SyncHashes()).Options;
        try
        {
            await using (var db = JobkoreDbContext.ForBusinessesOnly(options))
            {
                await db.GetService<IMigrator>().MigrateAsync("20261130174149_SyncRecords", ct);
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO SyncRecords (BusinessId, RealmId, EntityType, EntityId, QboId, QboSyncToken, PushedHash, PendingRequestId, Failed, Attempts) "
                    + "VALUES (1, 'r1', 0, 5, '42', '3', 'abc', 'req-1', 0, 2)", ct);
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO SyncBatches (BusinessId, RealmId, RequestId, Payload, Members, CreatedAt) VALUES (1, 'r1', 'b-req', '{{\"BatchItemRequest\":[]}}', '[]', 0)", ct);
            }

            await using (var db = JobkoreDbContext.ForBusinessesOnly(options))
            {
                await db.Database.MigrateAsync(ct);

                (await db.Database.SqlQueryRaw<string>("SELECT QboId || '|' || QboSyncToken || '|' || PushedHash || '|' || Attempts || '|' || IFNULL(HeldFields, 'unknown') AS Value FROM SyncRecords")
                    .ToListAsync(ct)).ShouldBe(["42|3|abc|2|unknown"]);
                (await db.Database.SqlQueryRaw<string>("SELECT RequestId || '|' || IsBatch || '|' || Body AS Value FROM SyncJournal").ToListAsync(ct))
                    .ShouldBe(["b-req|1|{\"BatchItemRequest\":[]}"]);
                (await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM pragma_table_info('SyncRecords')").ToListAsync(ct))
                    .ShouldNotContain("PendingRequestId");
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}

using Jobkore.Core.Common;
using Jobkore.Core.Clients;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Tests.Core.Data;

public sealed class DatabaseInitializerTests
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    [Trait(DatabaseTraits.Name, DatabaseTraits.SqliteOnly)]
    public async Task InitializeAsync_EmptyFile_AppliesMigrationsAndTurnsOnWal()
    {
        await using var sut = await TestDatabase.CreateAsync();
        await using var connection = new SqliteConnection($"Data Source={sut.DatabasePath}");
        await connection.OpenAsync(s_ct);

        (await Scalar(connection, "PRAGMA journal_mode;")).ShouldBe("wal");
        (await Scalar(connection, "SELECT COUNT(*) FROM __EFMigrationsHistory;")).ShouldNotBe("0");
        sut.Business.Name.ShouldBe("Test Plumbing");
    }

    [Fact]
    [Trait(DatabaseTraits.Name, DatabaseTraits.PostgreSqlOnly)]
    public async Task InitializeAsync_PostgreSql_InstancesStartingTogetherCreateOneBusiness_WithItsDemoRecordsOnce()
    {
        TestDatabaseServer.IsPostgreSql.ShouldBeTrue($"This test runs in ./test.sh's PostgreSQL pass ({TestDatabaseServer.ProviderVariable}=PostgreSql).");
        var folder = Directory.CreateTempSubdirectory("jobkore-tests-").FullName;
        try
        {
            var instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => TestDatabase.CreateAsync(seedDemoData: true, folder))));
            instances.Select(i => i.Business.Id).Distinct().Count().ShouldBe(1);
            await using (var scope = instances[0].CreateScope())
            {
                await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(s_ct);
                (await db.Businesses.CountAsync(s_ct)).ShouldBe(1);
                (await db.Clients.CountAsync(s_ct)).ShouldBe(25);
                (await db.Database.GetAppliedMigrationsAsync(s_ct)).ShouldNotBeEmpty();
                (await db.Database.GetPendingMigrationsAsync(s_ct)).ShouldBeEmpty();
            }

            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
        finally
        {
            TestDatabaseServer.Drop(folder);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task InitializeAsync_DemoData_SeedsTheDemoBusinessInEveryState()
    {
        await using var sut = await TestDatabase.CreateAsync(seedDemoData: true);
        await using var scope = sut.CreateScope();
        var invoices = await scope.Get<InvoiceService>().ListAsync(new PageRequest(PageSize: 200), new InvoiceListFilter(), s_ct);
        var clients = await scope.Get<ClientService>().ListAsync(new PageRequest(PageSize: 200), s_ct);

        sut.Business.Name.ShouldBe("Acme Plumbing & Heating");
        clients.TotalCount.ShouldBe(25);
        clients.Items.Select(c => c.DisplayName).ShouldContain("Maria O'Brien");
        clients.Items.Select(c => c.DisplayName).ShouldContain("Smith & Sons Construction");
        clients.Items.Select(c => c.DisplayName).ShouldContain("Café Zoë");
        clients.Items.Select(c => c.DisplayName).ShouldContain("Harbor Lofts: Unit 4");
        invoices.TotalCount.ShouldBe(60);
        invoices.Items.Count(i => i.Status == InvoiceStatus.Void).ShouldBe(2);
        invoices.Items.Count(i => i.Status == InvoiceStatus.Draft).ShouldBeGreaterThanOrEqualTo(2);
        invoices.Items.Count(i => i.Status == InvoiceStatus.Paid).ShouldBeGreaterThanOrEqualTo(10);
        invoices.Items.Count(i => i.Status == InvoiceStatus.PartiallyPaid).ShouldBeGreaterThanOrEqualTo(2);
        invoices.Items.Min(i => i.IssueDate).ShouldBeGreaterThanOrEqualTo(new DateOnly(2026, 11, 24).AddDays(-90));
    }

    [Fact]
    public async Task InitializeAsync_SecondStart_KeepsTheSameBusinessAndRecords()
    {
        await using var first = await TestDatabase.CreateAsync(seedDemoData: true);
        await using var scope = first.CreateScope();
        var factory = scope.Get<IDbContextFactory<JobkoreDbContext>>();
        await using var db = await factory.CreateDbContextAsync(s_ct);
        var before = await db.Invoices.CountAsync(s_ct);

        await scope.Get<DatabaseInitializer>().InitializeAsync(s_ct);

        (await db.Invoices.CountAsync(s_ct)).ShouldBe(before);
        (await db.Businesses.CountAsync(s_ct)).ShouldBe(1);
    }

    private static async Task<string?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(s_ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}

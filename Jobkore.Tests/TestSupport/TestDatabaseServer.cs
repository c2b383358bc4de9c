using System.Security.Cryptography;
using System.Text;
using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Sync.Tracking;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Jobkore.Tests.TestSupport;

/// <summary>
/// The database the tests run on: SQLite files by default; PostgreSQL when <c>JOBKORE_TEST_DATABASE=PostgreSql</c>, on the
/// server of <c>JOBKORE_TEST_POSTGRES</c> (./test.sh starts a throwaway cluster and runs the data, engine and chaos tests a
/// second time so). Each test folder gets its own database: a SQLite file in it, or a PostgreSQL database named after it
/// (the same folder, as a restarted app uses, finds the same database), copied from a migrated template, dropped at the end.
/// </summary>
internal static class TestDatabaseServer
{
    public const string ProviderVariable = "JOBKORE_TEST_DATABASE";
    public const string PostgresVariable = "JOBKORE_TEST_POSTGRES";

    private static readonly SemaphoreSlim s_create = new(1, 1);
    private static string? s_template;

    public static DatabaseProvider Provider { get; } = ReadProvider();

    public static bool IsPostgreSql => Provider == DatabaseProvider.PostgreSql;

    /// <summary>The settings pointing the app at the database of <paramref name="folder"/>, created when it does not exist yet.</summary>
    public static Dictionary<string, string?> SettingsFor(string folder) => new()
    {
        ["Database:Provider"] = Provider.ToString(),
        ["ConnectionStrings:Jobkore"] = ConnectionStringFor(folder),
    };

    /// <summary>The connection string of <paramref name="folder"/>'s database, creating it (PostgreSQL) when it does not exist yet.</summary>
    public static string ConnectionStringFor(string folder)
    {
        if (!IsPostgreSql)
        {
            return $"Data Source={Path.Combine(folder, "jobkore.db")}";
        }

        var name = DatabaseName(folder);
        s_create.Wait();
        try
        {
            using var server = OpenServer();
            if (!Exists(server, name))
            {
                s_template ??= CreateTemplate();
                Execute(server, $"CREATE DATABASE \"{name}\" TEMPLATE \"{s_template}\"");
            }
        }
        finally
        {
            s_create.Release();
        }

        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops <paramref name="folder"/>'s database (PostgreSQL) or lets go of its file (SQLite) so the folder can be deleted.</summary>
    public static void Drop(string folder)
    {
        if (!IsPostgreSql)
        {
            SqliteConnection.ClearAllPools();
            return;
        }

        var name = DatabaseName(folder);
        NpgsqlConnection.ClearAllPools();
        using var server = OpenServer();
        Execute(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{ProviderVariable}=PostgreSql needs {PostgresVariable}, the connection string of a PostgreSQL server the tests may create databases on. "
                + "./test.sh starts one; by hand: scripts/postgres-cluster.sh start /tmp/jobkore-pg, then export the line it prints.");

    private static DatabaseProvider ReadProvider()
    {
        var value = Environment.GetEnvironmentVariable(ProviderVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return DatabaseProvider.Sqlite;
        }

        return Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"{ProviderVariable} is '{value}'; use Sqlite or PostgreSql.");
    }

    /// <summary>
    /// Migrates one database per test process; every test database is a copy of it, which is much faster than migrating
    /// each. It is dropped when the process exits.
    /// </summary>
    private static string CreateTemplate()
    {
        var name = $"jobkore_template_{Environment.ProcessId}";
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropQuietly(name);
        using (var server = OpenServer())
        {
            Execute(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            Execute(server, $"CREATE DATABASE \"{name}\"");
        }

        var database = JobkoreDatabase.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [JobkoreDatabase.ProviderKey] = nameof(DatabaseProvider.PostgreSql),
                [$"ConnectionStrings:{JobkoreDatabase.ConnectionStringName}"] = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = false }.ConnectionString,
            }).Build(),
            AppContext.BaseDirectory);
        var builder = new DbContextOptionsBuilder<JobkoreDbContext>();
        database.Use(builder);
        var options = builder.UseContentHashes(new SyncHashes()).Options;
        using (var db = new JobkoreDbContext(options, new FixedCurrentBusiness(new BusinessProfile(0, "Template", "USD", "UTC"))))
        {
            db.Database.Migrate();
        }

        return name;
    }

    private static void DropQuietly(string name)
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            using var server = OpenServer();
            Execute(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
        catch (NpgsqlException)
        {
            // The server is gone already (test.sh stops its cluster); nothing is left to drop.
        }
    }

    private static NpgsqlConnection OpenServer()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    private static bool Exists(NpgsqlConnection server, string name)
    {
        using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", server);
        command.Parameters.AddWithValue("name", name);
        return command.ExecuteScalar() is not null;
    }

    private static void Execute(NpgsqlConnection server, string sql)
    {
        using var command = new NpgsqlCommand(sql, server);
        command.ExecuteNonQuery();
    }

    /// <summary>A name PostgreSQL accepts (at most 63 bytes), the same for the same folder.</summary>
    private static string DatabaseName(string folder) =>
        "jobkore_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(folder))))[..24];
}

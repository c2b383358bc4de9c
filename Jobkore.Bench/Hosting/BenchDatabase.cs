using Jobkore.Core.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Jobkore.Bench.Hosting;

/// <summary>
/// A row's own empty database: a SQLite file in the row's folder, or a database of its own (<c>jobkore_bench_…</c>) on the
/// PostgreSQL server of <see cref="PostgresVariable"/>, created here and dropped on dispose. The app migrates it as it starts.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    /// <summary>The connection string of a PostgreSQL server the bench may create databases on (the parent's cluster, or yours).</summary>
    public const string PostgresVariable = "JOBKORE_BENCH_POSTGRES";

    private readonly string? _serverConnectionString;
    private readonly string? _name;

    private BenchDatabase(DatabaseProvider provider, string connectionString, string? serverConnectionString = null, string? name = null)
    {
        Provider = provider;
        Settings = new Dictionary<string, string?>
        {
            [JobkoreDatabase.ProviderKey] = provider.ToString(),
            [$"ConnectionStrings:{JobkoreDatabase.ConnectionStringName}"] = connectionString,
        };
        _serverConnectionString = serverConnectionString;
        _name = name;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The app's settings pointing it at this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>The database's name as the tables print it.</summary>
    public static string DisplayName(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "SQLite",
        DatabaseProvider.PostgreSql => "PostgreSQL",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
    };

    /// <summary>The <c>--database</c> option's value: <c>sqlite</c> (the default) or <c>postgresql</c>.</summary>
    public static DatabaseProvider Parse(string value) => value switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgresql" => DatabaseProvider.PostgreSql,
        _ => throw new ArgumentException($"Unknown database '{value}': use sqlite or postgresql.", nameof(value)),
    };

    /// <summary>The <c>--database</c> option's value for <paramref name="provider"/> (<see cref="Parse"/> reads it back).</summary>
    public static string OptionValue(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "sqlite",
        DatabaseProvider.PostgreSql => "postgresql",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
    };

    /// <summary>Creates an empty database of <paramref name="provider"/> for one app: SQLite's file goes in <paramref name="folder"/>.</summary>
    public static async Task<BenchDatabase> CreateAsync(DatabaseProvider provider, string folder, CancellationToken cancellationToken)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                return new BenchDatabase(provider, $"Data Source={Path.Combine(folder, "jobkore.db")}");
            case DatabaseProvider.PostgreSql:
                var server = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
                    ? value
                    : throw new InvalidOperationException($"--database postgresql needs {PostgresVariable}, the connection string of a PostgreSQL server the bench may create databases on (the bench's parent process sets it).");
                var name = $"jobkore_bench_{Guid.NewGuid():N}";
                await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"", cancellationToken);
                return new BenchDatabase(provider, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, server, name);
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }
    }

    /// <summary>Lets go of the pooled connections, so the SQLite file can be deleted, or the PostgreSQL database dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        switch (Provider)
        {
            case DatabaseProvider.Sqlite:
                SqliteConnection.ClearAllPools();
                break;
            case DatabaseProvider.PostgreSql:
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(_serverConnectionString!, $"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", CancellationToken.None);
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider {Provider}.");
        }
    }

    /// <summary>Runs a statement on the server's maintenance database, on a connection of its own (not pooled).</summary>
    private static async Task ExecuteAsync(string serverConnectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(serverConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

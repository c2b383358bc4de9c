using Npgsql;

namespace Jobkore.Tests.TestSupport;

/// <summary>
/// An empty database of its own on the PostgreSQL server of <c>JOBKORE_TEST_POSTGRES</c>, dropped at the end, for tests of
/// what only PostgreSQL has (LISTEN/NOTIFY). Their classes carry <c>[Trait("Database", "PostgreSqlOnly")]</c>: ./test.sh
/// runs them in its PostgreSQL pass, and without a server they fail, saying how to start one (never skip).
/// </summary>
internal sealed class PostgresScratchDatabase : IAsyncDisposable
{
    private readonly string _name;

    private PostgresScratchDatabase(string name, string connectionString)
    {
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresScratchDatabase> CreateAsync(CancellationToken cancellationToken)
    {
        var name = $"jobkore_scratch_{Guid.NewGuid():N}";
        await using (var server = await OpenServerAsync(cancellationToken))
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", server);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return new PostgresScratchDatabase(name, new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString);
    }

    /// <summary>Opens a connection to this database (not pooled), for the test's own queries.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await using var server = await OpenServerAsync(CancellationToken.None);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", server);
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(TestDatabaseServer.PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"This test needs PostgreSQL: set {TestDatabaseServer.PostgresVariable} to the connection string of a server it may create databases on. "
                + "./test.sh starts one for its PostgreSQL pass; by hand: scripts/postgres-cluster.sh start /tmp/jobkore-pg, then "
                + $"export {TestDatabaseServer.PostgresVariable}='<the line it prints>' (scripts/postgres-cluster.sh stop /tmp/jobkore-pg at the end).");

    private static async Task<NpgsqlConnection> OpenServerAsync(CancellationToken cancellationToken)
    {
        var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false }.ConnectionString);
        await server.OpenAsync(cancellationToken);
        return server;
    }
}

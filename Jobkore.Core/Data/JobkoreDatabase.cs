using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Jobkore.Core.Data;

/// <summary>The database engines Jobkore runs on: SQLite embedded (the default, one app instance), PostgreSQL to scale out.</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// Which database Jobkore uses (<c>Database:Provider</c>) and its connection string (<c>ConnectionStrings:Jobkore</c>), read
/// and checked once at composition, so a bad setting stops the app before it starts, naming what to fix.
/// </summary>
public sealed class JobkoreDatabase
{
    public const string ConnectionStringName = "Jobkore";
    public const string ProviderKey = "Database:Provider";

    /// <summary>The assembly holding the PostgreSQL migrations; SQLite's are in Jobkore.Core (one set per provider).</summary>
    public const string PostgreSqlMigrationsAssembly = "Jobkore.Migrations.PostgreSql";

    private JobkoreDatabase(DatabaseProvider provider, string connectionString)
    {
        Provider = provider;
        ConnectionString = connectionString;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The connection string, with a relative SQLite file made absolute.</summary>
    public string ConnectionString { get; }

    /// <summary>True when several app instances can share the database (PostgreSQL).</summary>
    public bool IsShared => Provider == DatabaseProvider.PostgreSql;

    /// <summary>Reads the settings; a relative SQLite file path is taken relative to <paramref name="contentRootPath"/>, so the app finds the same file however it is started.</summary>
    public static JobkoreDatabase FromConfiguration(IConfiguration configuration, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var providerName = configuration[ProviderKey];
        var provider = DatabaseProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerName) && (!Enum.TryParse(providerName, ignoreCase: true, out provider) || !Enum.IsDefined(provider) || int.TryParse(providerName, out _)))
        {
            throw new InvalidOperationException($"{ProviderKey} is '{providerName}'; use Sqlite (the default, one app instance) or PostgreSql (several app instances on one database).");
        }

        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(provider == DatabaseProvider.Sqlite
                ? $"ConnectionStrings:{ConnectionStringName} is missing from appsettings.json; set it to a SQLite connection string such as \"Data Source=App_Data/jobkore.db\"."
                : $"ConnectionStrings:{ConnectionStringName} is missing; set it to a PostgreSQL connection string such as \"Host=db.example.com;Database=jobkore;Username=jobkore;Password=...\" (environment: ConnectionStrings__Jobkore).");
        }

        return new JobkoreDatabase(provider, provider == DatabaseProvider.Sqlite ? ResolveSqlite(configured, contentRootPath) : CheckPostgreSql(configured));
    }

    /// <summary>Points <paramref name="options"/> at this database, with the migrations of its provider.</summary>
    public DbContextOptionsBuilder Use(DbContextOptionsBuilder options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Provider == DatabaseProvider.Sqlite
            ? options.UseSqlite(ConnectionString)
            : options.UseNpgsql(ConnectionString, npgsql => npgsql.MigrationsAssembly(PostgreSqlMigrationsAssembly));
    }

    private static string CheckPostgreSql(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} names no Host; name the PostgreSQL server, for example \"Host=db.example.com;Database=jobkore;Username=jobkore\".");
        }

        return builder.ConnectionString;
    }

    private static string ResolveSqlite(string connectionString, string contentRootPath)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not a valid SQLite connection string: {ex.Message}", ex);
        }

        var dataSource = builder.DataSource;
        if (string.IsNullOrWhiteSpace(dataSource))
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} has no Data Source; name the SQLite file, for example \"Data Source=App_Data/jobkore.db\".");
        }

        if (dataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            return builder.ToString();
        }

        var fullPath = Path.GetFullPath(dataSource, contentRootPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        builder.DataSource = fullPath;
        return builder.ToString();
    }
}

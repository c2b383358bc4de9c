namespace Jobkore.Tests.TestSupport;

/// <summary>
/// The trait ./test.sh filters on: tests of one database's own behaviour (a SQLite file's bytes, WAL, keys on disk; or
/// PostgreSQL's LISTEN/NOTIFY, several instances on one server) run only in that database's pass.
/// </summary>
internal static class DatabaseTraits
{
    public const string Name = "Database";
    public const string SqliteOnly = "SqliteOnly";
    public const string PostgreSqlOnly = "PostgreSqlOnly";
}

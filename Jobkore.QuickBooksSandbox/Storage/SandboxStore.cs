using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Jobkore.QuickBooksSandbox.Storage;

/// <summary>
/// Keeps the sandbox in a SQLite file (issue rule 14), so restarting the app keeps the sandbox consistent with
/// Jobkore's records: each write saves the records it changed and its requestid answer; token changes save the
/// grants and tokens; deleted invoices and payments are kept 30 days as tombstones for change data capture. Without a file the sandbox lives in memory only (tests).
/// </summary>
internal sealed class SandboxStore(string databasePath)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();

    /// <summary>Creates the tables; returns false when the file holds no companies yet (seed and save them).</summary>
    public bool Load(SandboxState state)
    {
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS companies (realm TEXT PRIMARY KEY, name TEXT NOT NULL, next_id INTEGER NOT NULL, next_doc INTEGER NOT NULL, tax REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS records (realm TEXT NOT NULL, entity TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (realm, entity, id));
            CREATE TABLE IF NOT EXISTS replays (realm TEXT NOT NULL, request_id TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (realm, request_id));
            CREATE TABLE IF NOT EXISTS oauth (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS tenants (tenant TEXT PRIMARY KEY, realm TEXT NOT NULL UNIQUE);
            CREATE TABLE IF NOT EXISTS tombstones (realm TEXT NOT NULL, entity TEXT NOT NULL, id TEXT NOT NULL, deleted_at INTEGER NOT NULL, PRIMARY KEY (realm, entity, id));
            """);
        AddColumnIfMissing(connection, "companies", "ast", "INTEGER NOT NULL DEFAULT 0"); // files saved before automated sales tax
        AddColumnIfMissing(connection, "companies", "book_close", "TEXT NULL"); // and before the closing date
        using (var companies = Command(connection, "SELECT c.realm, c.name, c.next_id, c.next_doc, c.tax, t.tenant, c.ast, c.book_close FROM companies c LEFT JOIN tenants t ON t.realm = c.realm"))
        using (var reader = companies.ExecuteReader())
        {
            while (reader.Read())
            {
                var company = new SandboxCompany(reader.GetString(0), reader.GetString(1))
                {
                    NextId = reader.GetInt32(2), NextDocNumber = reader.GetInt32(3), SalesTaxPercent = (decimal)reader.GetDouble(4),
                    Tenant = reader.IsDBNull(5) ? null : reader.GetString(5), AutomatedSalesTax = reader.GetInt32(6) != 0,
                    BookCloseDate = reader.IsDBNull(7) ? null : DateOnly.ParseExact(reader.GetString(7), Accounting.Dates.Format, System.Globalization.CultureInfo.InvariantCulture),
                };
                state.Companies[company.RealmId] = company;
                if (company.Tenant is not null)
                {
                    state.CompaniesByTenant[company.Tenant] = company;
                }
            }
        }

        if (state.Companies.IsEmpty)
        {
            return false;
        }

        using (var records = Command(connection, "SELECT realm, entity, id, json FROM records"))
        using (var reader = records.ExecuteReader())
        {
            while (reader.Read())
            {
                state.Companies[reader.GetString(0)].Restore(reader.GetString(1), (JsonObject)JsonNode.Parse(reader.GetString(3))!);
            }
        }

        using (var replays = Command(connection, "SELECT realm, request_id, status, body FROM replays"))
        using (var reader = replays.ExecuteReader())
        {
            while (reader.Read())
            {
                state.Companies[reader.GetString(0)].Replays[reader.GetString(1)] = (reader.GetInt32(2), reader.GetString(3));
            }
        }

        using (var tombstones = Command(connection, "SELECT realm, entity, id, deleted_at FROM tombstones"))
        using (var reader = tombstones.ExecuteReader())
        {
            while (reader.Read())
            {
                state.Companies[reader.GetString(0)].Tombstones.Restore(
                    new Changes.Tombstone(reader.GetString(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
            }
        }

        using var oauth = Command(connection, "SELECT json FROM oauth WHERE id = 1");
        if (oauth.ExecuteScalar() is string json)
        {
            OAuthSnapshot.Restore(state, JsonSerializer.Deserialize<OAuthSnapshot>(json)!);
        }

        return true;
    }

    /// <summary>Saves everything: after seeding a new file.</summary>
    public void SaveAll(SandboxState state)
    {
        foreach (var company in state.Companies.Values)
        {
            SaveNew(company);
        }

        SaveOAuth(state);
    }

    /// <summary>Saves a company just created, every record of it, and the tenant it belongs to.</summary>
    public void SaveNew(SandboxCompany company)
    {
        foreach (var (entity, records) in company.Entities)
        {
            foreach (var id in records.Keys)
            {
                company.Touch(entity, id);
            }
        }

        Save(company, null, isNew: true);
    }

    /// <summary>Saves the records a write changed, and the answer to replay for its requestid.</summary>
    public void SaveCompany(SandboxCompany company, string? requestId) => Save(company, requestId, isNew: false);

    private void Save(SandboxCompany company, string? requestId, bool isNew)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        Execute(connection, "INSERT INTO companies (realm, name, next_id, next_doc, tax, ast, book_close) VALUES ($realm, $name, $next, $doc, $tax, $ast, $close) "
            + "ON CONFLICT(realm) DO UPDATE SET next_id = $next, next_doc = $doc, ast = $ast, book_close = $close",
            ("$realm", company.RealmId), ("$name", company.Name), ("$next", company.NextId), ("$doc", company.NextDocNumber), ("$tax", (double)company.SalesTaxPercent),
            ("$ast", company.AutomatedSalesTax ? 1 : 0), ("$close", company.BookCloseDate is { } closed ? Accounting.Dates.Text(closed) : DBNull.Value));
        if (isNew && company.Tenant is not null)
        {
            Execute(connection, "INSERT INTO tenants (tenant, realm) VALUES ($tenant, $realm)", ("$tenant", company.Tenant), ("$realm", company.RealmId));
        }
        foreach (var (entity, id) in company.Dirty)
        {
            if (company.Set(entity).TryGetValue(id, out var record))
            {
                Execute(connection, "INSERT INTO records (realm, entity, id, json) VALUES ($realm, $entity, $id, $json) ON CONFLICT(realm, entity, id) DO UPDATE SET json = $json",
                    ("$realm", company.RealmId), ("$entity", entity), ("$id", id), ("$json", record.ToJsonString()));
            }
            else
            {
                Execute(connection, "DELETE FROM records WHERE realm = $realm AND entity = $entity AND id = $id", ("$realm", company.RealmId), ("$entity", entity), ("$id", id));
            }
        }

        foreach (var tombstone in company.Tombstones.Unsaved)
        {
            Execute(connection, "INSERT OR REPLACE INTO tombstones (realm, entity, id, deleted_at) VALUES ($realm, $entity, $id, $at)",
                ("$realm", company.RealmId), ("$entity", tombstone.Entity), ("$id", tombstone.Id), ("$at", tombstone.DeletedAt.ToUnixTimeMilliseconds()));
        }

        if (company.Tombstones.DroppedBefore is { } oldestKept)
        {
            Execute(connection, "DELETE FROM tombstones WHERE realm = $realm AND deleted_at < $at", ("$realm", company.RealmId), ("$at", oldestKept.ToUnixTimeMilliseconds()));
        }

        if (requestId is not null && company.Replays.TryGetValue(requestId, out var replay))
        {
            Execute(connection, "INSERT OR REPLACE INTO replays (realm, request_id, status, body) VALUES ($realm, $request, $status, $body)",
                ("$realm", company.RealmId), ("$request", requestId), ("$status", replay.Status), ("$body", replay.Body));
        }

        transaction.Commit();
        company.Dirty.Clear();
        company.Tombstones.Saved();
    }

    public void SaveOAuth(SandboxState state)
    {
        using var connection = Open();
        Execute(connection, "INSERT OR REPLACE INTO oauth (id, json) VALUES (1, $json)", ("$json", JsonSerializer.Serialize(OAuthSnapshot.Take(state))));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void AddColumnIfMissing(SqliteConnection connection, string table, string column, string definition)
    {
        using var columns = Command(connection, $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'");
        if (Convert.ToInt64(columns.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {definition}");
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    /// <summary>Grants, codes and tokens as one small document.</summary>
    private sealed record OAuthSnapshot(List<Grant> Grants, List<SnapshotToken> AccessTokens, List<SnapshotToken> RefreshTokens)
    {
        public static OAuthSnapshot Take(SandboxState state)
        {
            var grants = state.AccessTokens.Values.Select(t => t.Grant).Concat(state.RefreshTokens.Values.Select(t => t.Grant)).DistinctBy(g => g.Id).ToList();
            return new OAuthSnapshot(
                grants,
                [.. state.AccessTokens.Values.Select(t => new SnapshotToken(t.Token, t.Grant.Id, t.ExpiresAt, null))],
                [.. state.RefreshTokens.Values.Select(t => new SnapshotToken(t.Token, t.Grant.Id, t.ExpiresAt, t.SupersededAt))]);
        }

        public static void Restore(SandboxState state, OAuthSnapshot snapshot)
        {
            var grants = snapshot.Grants.ToDictionary(g => g.Id);
            foreach (var t in snapshot.AccessTokens)
            {
                state.AccessTokens[t.Token] = new AccessToken(t.Token, grants[t.GrantId], t.ExpiresAt);
            }

            foreach (var t in snapshot.RefreshTokens)
            {
                state.RefreshTokens[t.Token] = new RefreshToken(t.Token, grants[t.GrantId], t.ExpiresAt) { SupersededAt = t.SupersededAt };
            }
        }
    }

    private sealed record SnapshotToken(string Token, string GrantId, DateTimeOffset ExpiresAt, DateTimeOffset? SupersededAt);
}

using System.Globalization;
using System.Text;

namespace Jobkore.Core.QuickBooks.Queries;

/// <summary>
/// Builds a QBO query statement (docs/quickbooks-api.md §2 "Query language"): <c>SELECT * FROM Entity WHERE … ORDERBY … STARTPOSITION n MAXRESULTS n</c>.
/// Values are quoted and escaped here, never concatenated by callers: a backslash becomes <c>\\</c>, an apostrophe
/// <c>\'</c>; entity and field names must be plain identifiers; the statement is URL-encoded as a whole.
/// </summary>
public sealed class QboQuery
{
    public const int MaxPageSize = 1000;

    private static readonly HashSet<string> s_operators = ["=", "<", ">", "<=", ">=", "LIKE"];
    private readonly string _entity;
    private readonly List<string> _conditions = [];
    private readonly bool _count;
    private string? _orderBy;
    private int? _startPosition;
    private int? _maxResults;

    private QboQuery(string entity, bool count)
    {
        _entity = Identifier(entity);
        _count = count;
    }

    public static QboQuery SelectAll(string entity) => new(entity, count: false);

    public static QboQuery Count(string entity) => new(entity, count: true);

    /// <summary>Adds <c>field op 'value'</c>. With LIKE, <c>%</c> in <paramref name="value"/> is QBO's only wildcard.</summary>
    public QboQuery Where(string field, string op, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var normalized = op?.Trim().ToUpperInvariant() ?? string.Empty;
        if (!s_operators.Contains(normalized))
        {
            throw new ArgumentException($"'{op}' is not a QBO query operator; use =, <, >, <=, >=, LIKE or WhereIn.", nameof(op));
        }

        _conditions.Add($"{Identifier(field)} {normalized} {Quote(value)}");
        return this;
    }

    public QboQuery Where(string field, bool value)
    {
        _conditions.Add($"{Identifier(field)} = {(value ? "true" : "false")}");
        return this;
    }

    /// <summary><c>field IN ('a', 'b')</c>; Id supports only = and IN.</summary>
    public QboQuery WhereIn(string field, IEnumerable<string> values)
    {
        var quoted = values.Select(Quote).ToList();
        if (quoted.Count == 0)
        {
            throw new ArgumentException("IN needs at least one value.", nameof(values));
        }

        _conditions.Add($"{Identifier(field)} IN ({string.Join(", ", quoted)})");
        return this;
    }

    /// <summary>Includes inactive name-list records, which QBO hides by default.</summary>
    public QboQuery IncludingInactive()
    {
        _conditions.Add("Active IN (true, false)");
        return this;
    }

    public QboQuery OrderBy(string field, bool descending = false)
    {
        _orderBy = $"{Identifier(field)}{(descending ? " DESC" : string.Empty)}";
        return this;
    }

    /// <summary>One page: <paramref name="startPosition"/> is 1-based; at most 1000 results.</summary>
    public QboQuery Page(int startPosition, int maxResults)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(startPosition, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, MaxPageSize);
        (_startPosition, _maxResults) = (startPosition, maxResults);
        return this;
    }

    public override string ToString()
    {
        var sql = new StringBuilder(_count ? "SELECT count(*) FROM " : "SELECT * FROM ").Append(_entity);
        if (_conditions.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", _conditions);
        }

        if (_orderBy is not null)
        {
            sql.Append(" ORDERBY ").Append(_orderBy);
        }

        if (_startPosition is { } start)
        {
            sql.Append(CultureInfo.InvariantCulture, $" STARTPOSITION {start} MAXRESULTS {_maxResults}");
        }

        return sql.ToString();
    }

    /// <summary>The statement as the <c>query=</c> parameter of a GET: URL-encoded as a whole.</summary>
    public string ToQueryParameter() => "query=" + Uri.EscapeDataString(ToString());

    /// <summary>Quotes a value for a QBO query: <c>O'Brien</c> → <c>'O\'Brien'</c>, <c>a\b</c> → <c>'a\\b'</c>.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("'", @"\'", StringComparison.Ordinal) + "'";
    }

    private static string Identifier(string name)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '.') || !char.IsAsciiLetter(name[0]))
        {
            throw new ArgumentException($"'{name}' is not a QBO entity or field name.", nameof(name));
        }

        return name;
    }
}

using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting;
using Jobkore.QuickBooksSandbox.Records;

namespace Jobkore.QuickBooksSandbox.Queries;

/// <summary>
/// Runs a parsed query over the rows it is given: filters, hides inactive name-list records unless the query filters on
/// Active, counts or sorts (by Id unless ORDERBY says otherwise) and pages. Values compare by the field's type, as the
/// record's JSON holds it (<see cref="TypedValue"/>). A condition of = or IN on a field the records are indexed by
/// in the query's own comparison looks its candidates up instead of reading every record; the conditions still decide.
/// </summary>
internal static class QueryEvaluator
{
    /// <summary>The QueryResponse object, e.g. <c>{"Customer":[…],"startPosition":1,"maxResults":2}</c>.</summary>
    public static JsonObject Run(SelectQuery query, string entity, RecordSet records)
    {
        var candidates = query.Conditions.Where(c => c.Operator is "=" or "IN").Select(c => records.Matching(c.Field, c.Values)).FirstOrDefault(m => m is not null)
            ?? records.Values;
        var rows = candidates.Where(r => query.Conditions.All(c => Matches(c, r)));
        if (QuerySchema.NameLists.Contains(entity) && !query.Conditions.Any(c => c.Field.Equals("Active", StringComparison.OrdinalIgnoreCase)))
        {
            rows = rows.Where(r => r.Bool("Active") != false);
        }

        if (query.Count)
        {
            return new JsonObject { ["totalCount"] = rows.Count() };
        }

        rows = query.OrderBy is { } order
            ? (query.Descending ? rows.OrderByDescending(r => TypedValue.Of(r, order), TypedValue.Order) : rows.OrderBy(r => TypedValue.Of(r, order), TypedValue.Order))
            : rows.OrderBy(r => int.TryParse(r.Str("Id"), out var id) ? id : int.MaxValue);
        var page = rows.Skip(query.StartPosition - 1).Take(query.MaxResults).Select(r => (JsonNode)r.Copy()).ToArray();
        return page.Length == 0
            ? []
            : new JsonObject { [entity] = new JsonArray(page), ["startPosition"] = query.StartPosition, ["maxResults"] = page.Length };
    }

    private static bool Matches(Condition condition, JsonObject record)
    {
        var actual = TypedValue.Of(record, condition.Field);
        var values = condition.Values;
        return condition.Operator switch
        {
            "IN" => values.Any(v => TypedValue.Compare(actual, v) == 0),
            "=" => TypedValue.Compare(actual, values[0]) == 0,
            "<" => TypedValue.Compare(actual, values[0]) < 0,
            ">" => TypedValue.Compare(actual, values[0]) > 0,
            "<=" => TypedValue.Compare(actual, values[0]) <= 0,
            ">=" => TypedValue.Compare(actual, values[0]) >= 0,
            "LIKE" => actual is not null && Like(actual.ToString(), values[0]),
            _ => false,
        };
    }

    private static bool Like(string actual, string pattern)
    {
        var parts = pattern.Split('%');
        if (parts.Length == 1)
        {
            return actual.Equals(pattern, StringComparison.OrdinalIgnoreCase);
        }

        var position = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length == 0)
            {
                continue;
            }

            var found = actual.IndexOf(part, position, StringComparison.OrdinalIgnoreCase);
            if (found < 0 || (i == 0 && found != 0))
            {
                return false;
            }

            position = found + part.Length;
        }

        return parts[^1].Length == 0 || actual.EndsWith(parts[^1], StringComparison.OrdinalIgnoreCase);
    }
}

using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting;
using Jobkore.QuickBooksSandbox.Records;

namespace Jobkore.QuickBooksSandbox.Queries;

/// <summary>
/// QBO's query language (docs/quickbooks-api.md §2 "Query language"): <see cref="QueryLexer"/> splits the statement,
/// <see cref="QueryParser"/> reads it into a <see cref="SelectQuery"/>, <see cref="QuerySchema"/> says whether the entity
/// and fields can be queried, and <see cref="QueryEvaluator"/> runs it over the entity's records.
/// </summary>
internal static class QueryEngine
{
    /// <summary>Runs a query and returns the QueryResponse object, e.g. <c>{"Customer":[…],"startPosition":1,"maxResults":2}</c>.</summary>
    public static JsonObject Run(string statement, Func<string, RecordSet> records)
    {
        var query = QueryParser.Parse(statement);
        if (!QuerySchema.TryFind(query.Entity, out var entity, out var fields))
        {
            throw Faults.QueryParse($"Invalid entity '{query.Entity}'.");
        }

        foreach (var field in query.Conditions.Select(c => c.Field).Append(query.OrderBy).OfType<string>())
        {
            if (!fields.Contains(field, StringComparer.OrdinalIgnoreCase))
            {
                throw Faults.QueryInvalid($"property '{field}' is not queryable");
            }
        }

        return QueryEvaluator.Run(query, entity, records(entity));
    }
}

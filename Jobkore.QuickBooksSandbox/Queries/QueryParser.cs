using Jobkore.QuickBooksSandbox.Accounting;

namespace Jobkore.QuickBooksSandbox.Queries;

/// <summary>
/// Parses <c>SELECT * [, field…] | count(*) FROM Entity [WHERE cond [AND cond…]] [ORDERBY|ORDER BY f [ASC|DESC]] [STARTPOSITION n]
/// [MAXRESULTS n]</c> into a <see cref="SelectQuery"/>; keywords ignore case. Which entity and fields exist is not its
/// business (<see cref="QuerySchema"/>).
/// </summary>
internal static class QueryParser
{
    public static SelectQuery Parse(string statement)
    {
        var tokens = QueryLexer.Tokenize(statement);
        var reader = new TokenReader(tokens);
        reader.Keyword("SELECT");
        bool count;
        if (reader.TryPunct("*"))
        {
            // "*, Sku" (python-quickbooks' Item.all()): QBO answers every field, as for "*" alone.
            while (reader.TryPunct(","))
            {
                reader.Identifier();
            }

            count = false;
        }
        else if (reader.TryKeyword("COUNT"))
        {
            reader.Punct("(");
            reader.Punct("*");
            reader.Punct(")");
            count = true;
        }
        else
        {
            throw Faults.QueryParse($"Encountered \"{reader.Peek}\": expected * or count(*).");
        }

        reader.Keyword("FROM");
        var query = new SelectQuery(reader.Identifier(), count);
        if (reader.TryKeyword("WHERE"))
        {
            do
            {
                query.Conditions.Add(ReadCondition(reader));
            }
            while (reader.TryKeyword("AND"));
        }

        if (reader.TryKeyword("ORDERBY") || (reader.TryKeyword("ORDER") && reader.Keyword("BY")))
        {
            query.OrderBy = reader.Identifier();
            if (reader.TryKeyword("DESC"))
            {
                query.Descending = true;
            }
            else
            {
                reader.TryKeyword("ASC");
            }
        }

        if (reader.TryKeyword("STARTPOSITION"))
        {
            query.StartPosition = reader.Number();
            if (query.StartPosition < 1)
            {
                throw Faults.QueryInvalid($"value {query.StartPosition} is too small. Min allowed value is 1");
            }
        }

        if (reader.TryKeyword("MAXRESULTS"))
        {
            query.MaxResults = reader.Number();
            if (query.MaxResults > 1000)
            {
                throw Faults.QueryInvalid($"value {query.MaxResults} is too large. Max allowed value is 1000");
            }

            if (query.MaxResults < 1)
            {
                throw Faults.QueryInvalid($"value {query.MaxResults} is too small. Min allowed value is 1");
            }
        }

        if (!reader.AtEnd)
        {
            throw Faults.QueryParse($"Encountered \"{reader.Peek}\" at the end of the query.");
        }

        return query;
    }

    private static Condition ReadCondition(TokenReader reader)
    {
        var field = reader.Identifier();
        if (reader.TryKeyword("IN"))
        {
            reader.Punct("(");
            var values = new List<string> { reader.Literal() };
            while (reader.TryPunct(","))
            {
                values.Add(reader.Literal());
            }

            reader.Punct(")");
            return new Condition(field, "IN", values);
        }

        if (field.Equals("Id", StringComparison.OrdinalIgnoreCase) && !reader.PeekIs("="))
        {
            throw Faults.QueryInvalid("Id supports only = and IN");
        }

        var op = reader.TryKeyword("LIKE") ? "LIKE" : reader.Operator();
        return new Condition(field, op, [reader.Literal()]);
    }
}

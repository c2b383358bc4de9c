using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting;

namespace Jobkore.QuickBooksSandbox.Queries;

/// <summary>
/// QBO's query language (facts §2 "Query language"):
/// <c>SELECT * | count(*) FROM Entity [WHERE cond [AND cond…]] [ORDERBY|ORDER BY f [ASC|DESC]] [STARTPOSITION n] [MAXRESULTS n]</c>,
/// operators = &lt; &gt; &lt;= &gt;= IN LIKE (% only), case-insensitive keywords and names, <c>\'</c> and <c>\\</c> escapes.
/// Values compare by the field's type, as the record's JSON holds it (see <see cref="TypedValue"/>).
/// Inactive name-list records are hidden unless the query filters on Active.
/// </summary>
internal static class QueryEngine
{
    private static readonly Dictionary<string, string[]> s_filterable = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Customer"] = ["Id", "DisplayName", "GivenName", "MiddleName", "FamilyName", "FullyQualifiedName", "CompanyName", "PrimaryEmailAddr", "PrintOnCheckName", "Balance", "Active", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["Vendor"] = ["Id", "DisplayName", "GivenName", "FamilyName", "CompanyName", "Active", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["Employee"] = ["Id", "DisplayName", "GivenName", "FamilyName", "Active", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["Item"] = ["Id", "Name", "Type", "Sku", "Active", "FullyQualifiedName", "UnitPrice", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["Invoice"] = ["Id", "CustomerRef", "DocNumber", "TxnDate", "DueDate", "Balance", "TotalAmt", "SalesTermRef", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["Payment"] = ["Id", "CustomerRef", "TxnDate", "PaymentRefNum", "TotalAmt", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["Account"] = ["Id", "Name", "SubAccount", "Classification", "FullyQualifiedName", "AccountType", "AccountSubType", "CurrentBalance", "ParentRef", "Description", "Active", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["PaymentMethod"] = ["Id", "Name", "Type", "Active"],
        ["TaxCode"] = ["Id", "Name", "Active"],
        ["CompanyInfo"] = ["Id"],
    };

    private static readonly HashSet<string> s_nameLists = new(StringComparer.OrdinalIgnoreCase) { "Customer", "Vendor", "Employee", "Item", "Account", "PaymentMethod", "TaxCode" };

    /// <summary>Runs a query and returns the QueryResponse object, e.g. <c>{"Customer":[…],"startPosition":1,"maxResults":2}</c>.</summary>
    public static JsonObject Run(string statement, Func<string, IEnumerable<JsonObject>> records)
    {
        var query = Parse(statement);
        var entity = Accounting.Entities.EntityRules.Canonical(query.Entity);
        if (!s_filterable.TryGetValue(entity, out var fields))
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

        var rows = records(entity).Where(r => query.Conditions.All(c => c.Matches(r)));
        if (s_nameLists.Contains(entity) && !query.Conditions.Any(c => c.Field.Equals("Active", StringComparison.OrdinalIgnoreCase)))
        {
            rows = rows.Where(r => r.Bool("Active") != false);
        }

        if (query.Count)
        {
            return new JsonObject { ["totalCount"] = rows.Count() };
        }

        rows = query.OrderBy is { } order
            ? (query.Descending ? rows.OrderByDescending(r => Condition.Value(r, order), TypedValue.Order) : rows.OrderBy(r => Condition.Value(r, order), TypedValue.Order))
            : rows.OrderBy(r => int.TryParse(r.Str("Id"), out var id) ? id : int.MaxValue);
        var page = rows.Skip(query.StartPosition - 1).Take(query.MaxResults).Select(r => (JsonNode)r.Copy()).ToArray();
        return page.Length == 0
            ? []
            : new JsonObject { [entity] = new JsonArray(page), ["startPosition"] = query.StartPosition, ["maxResults"] = page.Length };
    }

    private static ParsedQuery Parse(string statement)
    {
        var tokens = Tokenize(statement);
        var reader = new TokenReader(tokens);
        reader.Keyword("SELECT");
        bool count;
        if (reader.TryPunct("*"))
        {
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
        var query = new ParsedQuery(reader.Identifier(), count);
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

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw Faults.QueryParse("Lexical error: the query ends inside a quoted value.");
                    }

                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        value.Append(text[i + 1]);
                        i += 2;
                    }
                    else if (text[i] == '\'')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        value.Append(text[i++]);
                    }
                }

                // A quoted value straight after another token with no space (O'Brien unescaped) is QBO's classic parse error.
                if (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '\''))
                {
                    throw Faults.QueryParse($"Encountered \" <IDENTIFIER> \"{text[i..].Split(' ')[0]}\"\" after a quoted value.");
                }

                tokens.Add(new Token(TokenKind.String, value.ToString()));
            }
            else if (char.IsLetter(c))
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '.' or '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i]));
            }
            else if (char.IsDigit(c) || (c == '-' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                var start = i++;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Number, text[start..i]));
            }
            else if (c is '<' or '>')
            {
                var op = i + 1 < text.Length && text[i + 1] == '=' ? text.Substring(i, 2) : c.ToString();
                i += op.Length;
                tokens.Add(new Token(TokenKind.Punct, op));
            }
            else if (c is '=' or '(' or ')' or ',' or '*')
            {
                tokens.Add(new Token(TokenKind.Punct, c.ToString()));
                i++;
            }
            else
            {
                throw Faults.QueryParse($"Lexical error at character '{c}'.");
            }
        }

        return tokens;
    }

    private enum TokenKind
    {
        Word,
        String,
        Number,
        Punct,
    }

    private sealed record Token(TokenKind Kind, string Text);

    private sealed class ParsedQuery(string entity, bool count)
    {
        public string Entity { get; } = entity;

        public bool Count { get; } = count;

        public List<Condition> Conditions { get; } = [];

        public string? OrderBy { get; set; }

        public bool Descending { get; set; }

        public int StartPosition { get; set; } = 1;

        public int MaxResults { get; set; } = 100;
    }

    private sealed class TokenReader(List<Token> tokens)
    {
        private int _position;

        public bool AtEnd => _position >= tokens.Count;

        public string Peek => AtEnd ? "<EOF>" : tokens[_position].Text;

        public bool PeekIs(string punct) => !AtEnd && tokens[_position].Kind == TokenKind.Punct && tokens[_position].Text == punct;

        public bool TryKeyword(string keyword)
        {
            if (!AtEnd && tokens[_position].Kind == TokenKind.Word && tokens[_position].Text.Equals(keyword, StringComparison.OrdinalIgnoreCase))
            {
                _position++;
                return true;
            }

            return false;
        }

        public bool Keyword(string keyword) => TryKeyword(keyword) ? true : throw Faults.QueryParse($"Encountered \"{Peek}\": expected {keyword}.");

        public bool TryPunct(string punct)
        {
            if (PeekIs(punct))
            {
                _position++;
                return true;
            }

            return false;
        }

        public void Punct(string punct)
        {
            if (!TryPunct(punct))
            {
                throw Faults.QueryParse($"Encountered \"{Peek}\": expected \"{punct}\".");
            }
        }

        public string Identifier() =>
            !AtEnd && tokens[_position].Kind == TokenKind.Word ? tokens[_position++].Text : throw Faults.QueryParse($"Encountered \"{Peek}\": expected a name.");

        public string Operator() =>
            !AtEnd && tokens[_position].Kind == TokenKind.Punct && tokens[_position].Text is "=" or "<" or ">" or "<=" or ">="
                ? tokens[_position++].Text
                : throw Faults.QueryParse($"Encountered \"{Peek}\": expected an operator.");

        public string Literal()
        {
            if (AtEnd)
            {
                throw Faults.QueryParse("Encountered \"<EOF>\": expected a value.");
            }

            var token = tokens[_position];
            if (token.Kind is TokenKind.String or TokenKind.Number || (token.Kind == TokenKind.Word && token.Text.ToUpperInvariant() is "TRUE" or "FALSE"))
            {
                _position++;
                return token.Text;
            }

            throw Faults.QueryParse($"Encountered \"{token.Text}\": expected a quoted value.");
        }

        public int Number()
        {
            if (AtEnd || tokens[_position].Kind != TokenKind.Number || !int.TryParse(tokens[_position].Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                throw Faults.QueryParse($"Encountered \"{Peek}\": expected a number.");
            }

            _position++;
            return n;
        }
    }

    private sealed record Condition(string Field, string Operator, List<string> Values)
    {
        public bool Matches(JsonObject record)
        {
            var actual = Value(record, Field);
            return Operator switch
            {
                "IN" => Values.Any(v => TypedValue.Compare(actual, v) == 0),
                "=" => TypedValue.Compare(actual, Values[0]) == 0,
                "<" => TypedValue.Compare(actual, Values[0]) < 0,
                ">" => TypedValue.Compare(actual, Values[0]) > 0,
                "<=" => TypedValue.Compare(actual, Values[0]) <= 0,
                ">=" => TypedValue.Compare(actual, Values[0]) >= 0,
                "LIKE" => actual is not null && Like(actual.ToString(), Values[0]),
                _ => false,
            };
        }

        /// <summary>The field's JSON value: a reference compares by its id (<c>value</c>), an email by its address.</summary>
        public static JsonValue? Value(JsonObject record, string field)
        {
            JsonNode? node = record;
            foreach (var part in field.Split('.'))
            {
                node = node is JsonObject obj ? obj.FirstOrDefault(p => p.Key.Equals(part, StringComparison.OrdinalIgnoreCase)).Value : null;
            }

            return node switch
            {
                JsonObject o when o["value"] is JsonValue id => id,
                JsonObject o when o["Address"] is JsonValue address => address,
                JsonValue v => v,
                _ => null,
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

    /// <summary>
    /// QBO compares by the field's type, and the record's JSON value says what that is: a JSON number (TotalAmt, Balance,
    /// UnitPrice…) compares numerically with the literal, quoted or not (Intuit's own example is <c>TotalAmt &gt; '1000.0'</c>);
    /// a JSON string (DocNumber, names, Id, dates such as TxnDate, a reference's value) compares as text, ignoring case
    /// as QBO does, so <c>DocNumber = '1001'</c> is not <c>01001</c>; a JSON boolean compares with true/false.
    /// A missing field or a literal of another type matches nothing.
    /// </summary>
    private sealed class TypedValue : IComparer<JsonValue?>
    {
        public static readonly TypedValue Order = new();

        /// <summary>The record's value against a query literal; null when they cannot be compared.</summary>
        public static int? Compare(JsonValue? actual, string literal) => actual?.GetValueKind() switch
        {
            JsonValueKind.Number => Number(actual.ToJsonString()) is { } value && Number(literal) is { } number ? value.CompareTo(number) : null,
            JsonValueKind.String => string.Compare(actual.TryGetValue<string>(out var text) ? text : actual.ToString(), literal, StringComparison.OrdinalIgnoreCase),
            JsonValueKind.True or JsonValueKind.False => bool.TryParse(literal, out var flag) ? (actual.GetValueKind() == JsonValueKind.True).CompareTo(flag) : null,
            _ => null,
        };

        private static decimal? Number(string text) => decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

        /// <summary>ORDERBY: two records' values by the same rule; missing values first, then by JSON type.</summary>
        public int Compare(JsonValue? x, JsonValue? y)
        {
            var (xKind, yKind) = (x?.GetValueKind() ?? JsonValueKind.Undefined, y?.GetValueKind() ?? JsonValueKind.Undefined);
            var sameKind = xKind == yKind || (xKind is JsonValueKind.True or JsonValueKind.False && yKind is JsonValueKind.True or JsonValueKind.False);
            return sameKind && x is not null && y is not null ? Compare(x, y.ToString()) ?? 0 : xKind.CompareTo(yKind);
        }
    }
}

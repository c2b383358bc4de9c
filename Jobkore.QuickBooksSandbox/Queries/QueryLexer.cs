using System.Text;
using Jobkore.QuickBooksSandbox.Accounting;

namespace Jobkore.QuickBooksSandbox.Queries;

/// <summary>
/// Splits a query into tokens: words, quoted values with <c>\'</c> and <c>\\</c> escapes, numbers, operators and
/// punctuation; anything else is QBO's lexical error.
/// </summary>
internal static class QueryLexer
{
    public static List<Token> Tokenize(string text)
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
}

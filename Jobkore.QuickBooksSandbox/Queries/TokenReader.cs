using System.Globalization;
using Jobkore.QuickBooksSandbox.Accounting;

namespace Jobkore.QuickBooksSandbox.Queries;

/// <summary>Reads a query's tokens in order; what it does not find where the grammar needs it is QBO's parse error.</summary>
internal sealed class TokenReader(List<Token> tokens)
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

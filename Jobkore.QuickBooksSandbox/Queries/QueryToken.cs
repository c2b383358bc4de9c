
namespace Jobkore.QuickBooksSandbox.Queries;

internal enum TokenKind
{
    Word,
    String,
    Number,
    Punct,
}

/// <summary>One token of a query: a word (keyword or name), a quoted value, a number or punctuation.</summary>
internal sealed record Token(TokenKind Kind, string Text);

using System.Text;

namespace Jobkore.Core.Sync;

/// <summary>
/// Names as QuickBooks accepts them (docs/quickbooks-api.md §5): trimmed, inner whitespace collapsed, and the characters QBO refuses
/// in names (<c>:</c>, tab, newline) replaced the same way every time, so a name always maps to the same QBO name.
/// Other control characters count as spaces too, and a name cut to the limit never ends in half a character.
/// </summary>
public static class QboNames
{
    public const int MaxDisplayName = 500;
    public const int MaxItemName = 100;

    public static string DisplayName(string name) => Clean(name, MaxDisplayName);

    public static string ItemName(string name) => Clean(name, MaxItemName);

    /// <summary>
    /// A name no one holds, for a record whose name <paramref name="name"/> is moved aside for a moment so that another
    /// can take it: the name, cut to leave room within <paramref name="maxLength"/>, marked as being renamed.
    /// </summary>
    public static string Aside(string name, int maxLength)
    {
        var mark = $" (renaming {Guid.NewGuid().ToString("N")[..6]})";
        return Clean(name, maxLength - mark.Length) + mark;
    }

    private static string Clean(string name, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder(name.Length);
        var space = false;
        foreach (var c in name.Trim())
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = true;
                continue;
            }

            if (space && text.Length > 0)
            {
                text.Append(' ');
            }

            space = false;
            text.Append(c == ':' ? '-' : c);
        }

        if (text.Length <= maxLength)
        {
            return text.ToString();
        }

        // Never keep the first half of a surrogate pair (an emoji) at the cut.
        var cut = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return text.ToString(0, cut).TrimEnd();
    }
}

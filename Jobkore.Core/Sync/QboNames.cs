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

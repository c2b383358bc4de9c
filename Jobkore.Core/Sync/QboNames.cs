using System.Text;

namespace Jobkore.Core.Sync;

/// <summary>
/// Names as QuickBooks accepts them (facts §5): trimmed, inner whitespace collapsed, and the characters QBO refuses
/// in names (<c>:</c>, tab, newline) replaced the same way every time, so a name always maps to the same QBO name.
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
            if (char.IsWhiteSpace(c))
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

        return text.Length <= maxLength ? text.ToString() : text.ToString(0, maxLength).TrimEnd();
    }
}

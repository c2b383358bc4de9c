namespace Jobkore.QuickBooksSandbox.Accounting.Entities;

/// <summary>What QBO refuses in a name-list record's name (docs/quickbooks-api.md §5).</summary>
internal static class Names
{
    private static readonly char[] s_forbiddenCharacters = [':', '\t', '\n'];

    public static void Check(string name, string element, int? maxLength = null)
    {
        if (name.IndexOfAny(s_forbiddenCharacters) >= 0)
        {
            throw Faults.Business($"{element} cannot contain a colon (:), a tab or a new line.", element);
        }

        if (name.Length > maxLength)
        {
            throw Faults.Business($"{element} can be at most {maxLength} characters.", element);
        }
    }
}

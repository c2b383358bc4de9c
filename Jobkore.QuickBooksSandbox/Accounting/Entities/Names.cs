using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Records;

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

    /// <summary>The record's <c>Name</c>, which QBO requires.</summary>
    public static string Required(JsonObject record)
    {
        var name = record.Str("Name");
        return string.IsNullOrWhiteSpace(name) ? throw Faults.RequiredMissing("Name") : name;
    }

    /// <summary>6240 when another <paramref name="entity"/> (a <paramref name="what"/> to the user) already has <paramref name="name"/>.</summary>
    public static void RequireUnused(WriteContext write, string entity, string name, JsonObject? existing, string what)
    {
        if (write.Company.Set(entity).Used(RecordIndexes.Name, name, existing?.Str("Id")))
        {
            throw Faults.Validation("6240", "Duplicate Name Exists Error", $"The name supplied already exists. : Another {what} is already using this name. Please use a different name.", "Name");
        }
    }
}

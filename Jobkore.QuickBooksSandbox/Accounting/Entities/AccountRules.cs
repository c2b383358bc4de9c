using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Records;

namespace Jobkore.QuickBooksSandbox.Accounting.Entities;

/// <summary>Account: Name unique, without a colon or a double quote; AccountType required.</summary>
internal sealed class AccountRules : IEntityRules
{
    public string Entity => "Account";

    public void Prepare(WriteContext write, JsonObject record, JsonObject? existing, bool allowDuplicateDocNumber)
    {
        var name = record.Str("Name");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Faults.RequiredMissing("Name");
        }

        if (name.Contains(':', StringComparison.Ordinal) || name.Contains('"', StringComparison.Ordinal))
        {
            throw Faults.Business("An account name cannot contain a colon or a double quote.", "Name");
        }

        if (write.Company.Set("Account").Used(RecordIndexes.Name, name, existing?.Str("Id")))
        {
            throw Faults.Validation("6240", "Duplicate Name Exists Error", "The name supplied already exists. : Another account is already using this name. Please use a different name.", "Name");
        }

        if (record.Str("AccountType") is null)
        {
            throw Faults.RequiredMissing("AccountType");
        }

        record["FullyQualifiedName"] = name;
        record["Active"] ??= true;
        record["SubAccount"] ??= false;
        record["CurrentBalance"] ??= 0m;
    }
}

using System.Text.Json.Nodes;

namespace Jobkore.QuickBooksSandbox.Accounting.Entities;

/// <summary>Account: Name unique, without a colon or a double quote; AccountType required.</summary>
internal sealed class AccountRules : IEntityRules
{
    public string Entity => "Account";

    public void Prepare(WriteContext write, JsonObject record, JsonObject? existing, bool allowDuplicateDocNumber)
    {
        var name = Names.Required(record);
        if (name.Contains(':', StringComparison.Ordinal) || name.Contains('"', StringComparison.Ordinal))
        {
            throw Faults.Business("An account name cannot contain a colon or a double quote.", "Name");
        }

        Names.RequireUnused(write, Entity, name, existing, "account");
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

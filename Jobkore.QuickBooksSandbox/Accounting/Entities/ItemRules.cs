using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Records;

namespace Jobkore.QuickBooksSandbox.Accounting.Entities;

/// <summary>Item (docs/quickbooks-api.md §5): Name unique, Type required; Service and Inventory need an income account.</summary>
internal sealed class ItemRules : IEntityRules
{
    public string Entity => "Item";

    public void Prepare(WriteContext write, JsonObject record, JsonObject? existing, bool allowDuplicateDocNumber)
    {
        var name = record.Str("Name");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Faults.RequiredMissing("Name");
        }

        Names.Check(name, "Name");
        if (write.Company.Set("Item").Used(RecordIndexes.Name, name, existing?.Str("Id")))
        {
            throw Faults.Validation("6240", "Duplicate Name Exists Error", "The name supplied already exists. : Another product or service is already using this name. Please use a different name.", "Name");
        }

        var type = record.Str("Type") ?? throw Faults.RequiredMissing("Type");
        if (type is not ("Service" or "NonInventory" or "Inventory"))
        {
            throw Faults.Validation("2170", "Invalid Enumeration", $"Invalid Enumeration : {type}", "Type");
        }

        if (type is "Service" or "Inventory")
        {
            var income = record.RefValue("IncomeAccountRef") ?? throw Faults.RequiredMissing("IncomeAccountRef");
            write.RequireActive("Account", income, "IncomeAccountRef");
        }

        record["FullyQualifiedName"] = name;
        record["Active"] ??= true;
        record["Taxable"] ??= false;
        record["UnitPrice"] ??= 0m;
        record["TrackQtyOnHand"] ??= false;
    }
}

using System.Text.Json.Nodes;

namespace Jobkore.QuickBooksSandbox.Accounting.Entities;

/// <summary>Item (docs/quickbooks-api.md §5): Name unique, Type required; Service and Inventory need an income account.</summary>
internal sealed class ItemRules : IEntityRules
{
    public string Entity => "Item";

    public void Prepare(WriteContext write, JsonObject record, JsonObject? existing, bool allowDuplicateDocNumber)
    {
        var name = Names.Required(record);
        Names.Check(name, "Name");
        Names.RequireUnused(write, Entity, name, existing, "product or service");
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

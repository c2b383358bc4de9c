using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Records;

namespace Jobkore.QuickBooksSandbox.Accounting.Entities;

/// <summary>Customer (docs/quickbooks-api.md §5): DisplayName unique across customers, vendors and employees, no ':' tab or newline, ≤ 500.</summary>
internal sealed class CustomerRules : IEntityRules
{
    private static readonly string[] s_nameEntities = ["Customer", "Vendor", "Employee"];
    private static readonly string[] s_nameParts = ["Title", "GivenName", "MiddleName", "FamilyName", "Suffix"];

    public string Entity => "Customer";

    public void Prepare(WriteContext write, JsonObject record, JsonObject? existing, bool allowDuplicateDocNumber)
    {
        var displayName = record.Str("DisplayName");
        if (string.IsNullOrWhiteSpace(displayName))
        {
            displayName = string.Join(" ", s_nameParts.Select(record.Str).Where(p => !string.IsNullOrWhiteSpace(p)));
        }

        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw Faults.RequiredMissing("DisplayName");
        }

        Names.Check(displayName, "DisplayName", 500);
        if (s_nameEntities.Any(e => write.Company.Set(e).Used(RecordIndexes.DisplayName, displayName, existing?.Str("Id"))))
        {
            throw Faults.DuplicateName();
        }

        if (record.Bool("Active") == false && (existing?.Dec("Balance") ?? 0) != 0)
        {
            throw Faults.Business("Delete List Has Balance Error: This customer cannot be made inactive because it has a non-zero balance.");
        }

        record["DisplayName"] = displayName;
        record["FullyQualifiedName"] = displayName;
        // What QBO fills in for a DisplayName longer than PrintOnCheckName's limit is UNCONFIRMED; it must fit that limit.
        record["PrintOnCheckName"] ??= displayName[..Math.Min(displayName.Length, StringLimits.Max("Customer", "PrintOnCheckName"))];
        record["Active"] ??= true;
        record["Taxable"] ??= false;
        record["Job"] ??= false;
        record["BillWithParent"] ??= false;
        record["PreferredDeliveryMethod"] ??= "Print";
        record["CurrencyRef"] ??= Json.Ref("USD", "United States Dollar");
        record["Balance"] = existing?.Dec("Balance") ?? 0m;
        record["BalanceWithJobs"] = existing?.Dec("Balance") ?? 0m;
    }
}

namespace Jobkore.QuickBooksSandbox.Queries;

/// <summary>The entities a query can select from and the fields each can filter and sort on (docs/quickbooks-api.md §2 "Query language").</summary>
internal static class QuerySchema
{
    private static readonly Dictionary<string, string[]> s_filterable = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Customer"] = ["Id", "DisplayName", "GivenName", "MiddleName", "FamilyName", "FullyQualifiedName", "CompanyName", "PrimaryEmailAddr", "PrintOnCheckName", "Balance", "Active", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["Vendor"] = ["Id", "DisplayName", "GivenName", "FamilyName", "CompanyName", "Active", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["Employee"] = ["Id", "DisplayName", "GivenName", "FamilyName", "Active", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["Item"] = ["Id", "Name", "Type", "Sku", "Active", "FullyQualifiedName", "UnitPrice", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["Invoice"] = ["Id", "CustomerRef", "DocNumber", "TxnDate", "DueDate", "Balance", "TotalAmt", "SalesTermRef", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["Payment"] = ["Id", "CustomerRef", "TxnDate", "PaymentRefNum", "TotalAmt", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["Account"] = ["Id", "Name", "SubAccount", "Classification", "FullyQualifiedName", "AccountType", "AccountSubType", "CurrentBalance", "ParentRef", "Description", "Active", "MetaData.CreateTime", "MetaData.LastUpdatedTime"],
        ["PaymentMethod"] = ["Id", "Name", "Type", "Active"],
        ["TaxCode"] = ["Id", "Name", "Active"],
        ["CompanyInfo"] = ["Id"],
    };

    private static readonly Dictionary<string, string> s_names = s_filterable.Keys.ToDictionary(k => k, StringComparer.OrdinalIgnoreCase);

    /// <summary>Name lists: their inactive records are hidden unless the query filters on Active.</summary>
    public static readonly HashSet<string> NameLists = new(StringComparer.OrdinalIgnoreCase) { "Customer", "Vendor", "Employee", "Item", "Account", "PaymentMethod", "TaxCode" };

    /// <summary>The entity's name as QBO spells it and its queryable fields; false for an entity no query can select.</summary>
    public static bool TryFind(string entity, out string name, out string[] fields)
    {
        if (s_names.TryGetValue(entity, out var key))
        {
            (name, fields) = (key, s_filterable[key]);
            return true;
        }

        (name, fields) = (entity, []);
        return false;
    }
}

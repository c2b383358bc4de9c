namespace Jobkore.QuickBooksSandbox.Accounting.Entities;

/// <summary>The entities the sandbox keeps: which can be read, and the rules of those that can be written, by name.</summary>
internal static class EntityRules
{
    private static readonly Dictionary<string, IEntityRules> s_writable = new IEntityRules[]
    {
        new CustomerRules(), new ItemRules(), new AccountRules(), new InvoiceRules(), new PaymentRules(),
    }.ToDictionary(r => r.Entity, StringComparer.OrdinalIgnoreCase);

    public static readonly HashSet<string> Readable = new(StringComparer.OrdinalIgnoreCase)
    {
        "Customer", "Vendor", "Employee", "Item", "Account", "Invoice", "Payment", "PaymentMethod", "TaxCode", "CompanyInfo",
    };

    /// <summary>The rules of a writable entity; null for one that is only read (Vendor, TaxCode…) or unknown.</summary>
    public static IEntityRules? Find(string entity) => s_writable.GetValueOrDefault(entity);

    /// <summary>The entity's name as QBO spells it (<c>invoice</c> is <c>Invoice</c>); an unknown name as it is.</summary>
    public static string Canonical(string entity) => Readable.TryGetValue(entity, out var name) ? name : entity;
}

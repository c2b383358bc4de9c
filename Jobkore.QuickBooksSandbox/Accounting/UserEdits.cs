using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting.Entities;

namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>
/// What a QuickBooks user does to a record in QBO's own screens, for the sandbox's inspection page and tests: no
/// SyncToken and no requestid, but the same rules and the same bumps of SyncToken and MetaData.LastUpdatedTime as an API
/// write, and the same changes announced. Call under the company's lock.
/// </summary>
internal sealed class UserEdits(Books books)
{
    /// <summary>Kept by QuickBooks itself, never set by a user.</summary>
    private static readonly string[] s_notEditable = ["Id", "SyncToken", "MetaData", "domain", "sparse"];

    /// <summary>
    /// Sets the record's top-level fields to <paramref name="fields"/>' values; a field sent as null is removed, a Line
    /// replaces every line. The result is checked and completed as a full update (totals recomputed).
    /// </summary>
    public JsonObject Update(string entity, string id, JsonObject fields)
    {
        RefuseNotEditable(fields);
        var record = books.Read(entity, id);
        foreach (var (name, value) in fields)
        {
            if (value is null)
            {
                record.Remove(name);
            }
            else
            {
                record[name] = value.DeepClone();
            }
        }

        if (fields.ContainsKey("Line") && !fields.ContainsKey("TxnTaxDetail"))
        {
            // New lines, new tax: the stored TotalTax would otherwise be read as an override (InvoiceRules).
            record.Remove("TxnTaxDetail");
        }

        return books.Update(entity, record, allowDuplicateDocNumber: false);
    }

    /// <summary>A record a user adds (a customer with its email and address, an item): checked and completed as an API create.</summary>
    public JsonObject Create(string entity, JsonObject fields)
    {
        RefuseNotEditable(fields);
        return books.Create(entity, fields, allowDuplicateDocNumber: false);
    }

    /// <summary>An invoice or payment is deleted; a customer, item or account is made inactive, as QBO's screens do.</summary>
    public JsonObject Delete(string entity, string id)
    {
        var name = EntityRules.Canonical(entity);
        return EntityRules.Find(name) is { Deletable: true }
            ? books.Delete(name, Current(name, id))
            : Update(name, id, new JsonObject { ["Active"] = false });
    }

    public JsonObject Void(string entity, string id)
    {
        var name = EntityRules.Canonical(entity);
        var rules = EntityRules.Find(name) is { VoidBy: not VoidRequest.None } voidable ? voidable : throw Faults.Unsupported($"A {name} cannot be voided.");
        return books.Void(rules, Current(name, id));
    }

    public JsonObject Merge(string customerId, string survivorId) => books.MergeCustomer(customerId, survivorId);

    private static void RefuseNotEditable(JsonObject fields)
    {
        if (fields.Select(f => f.Key).Intersect(s_notEditable, StringComparer.OrdinalIgnoreCase).ToList() is { Count: > 0 } refused)
        {
            throw Faults.Business($"{string.Join(", ", refused)} cannot be set: QuickBooks keeps {string.Join(", ", s_notEditable)} itself.", refused[0]);
        }
    }

    /// <summary>The identity an API write would send: the record's id and its current SyncToken.</summary>
    private JsonObject Current(string entity, string id)
    {
        var record = books.Read(entity, id);
        return new JsonObject { ["Id"] = id, ["SyncToken"] = record.Str("SyncToken") };
    }
}

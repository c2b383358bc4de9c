using System.Globalization;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting;
using Jobkore.QuickBooksSandbox.Records;

namespace Jobkore.QuickBooksSandbox;

/// <summary>One QBO company: its records by entity name and id, as the JSON QBO would return.</summary>
internal sealed class SandboxCompany(string realmId, string name)
{
    private readonly Dictionary<string, RecordSet> _entities = new(StringComparer.OrdinalIgnoreCase);

    public string RealmId { get; } = realmId;

    public string Name { get; } = name;

    /// <summary>The tenant the company belongs to in a shared sandbox; null for the seeded companies of a developer's sandbox.</summary>
    public string? Tenant { get; init; }

    public object Gate { get; } = new();

    /// <summary>US sales tax rate applied to lines with TaxCodeRef TAX.</summary>
    public decimal SalesTaxPercent { get; init; } = 8m;

    /// <summary>
    /// Preferences: automated sales tax (TaxPrefs.PartnerTaxEnabled), QBO's US tax engine. On, QuickBooks computes each
    /// invoice's tax itself and ignores a TxnTaxDetail.TotalTax sent without a TxnTaxDetail.TxnTaxCodeRef (Intuit's
    /// documented behaviour, ../shared/qbo-api-facts.md §10). A user switches it (UserChangeEndpoints); write it under <see cref="Gate"/>.
    /// </summary>
    public bool AutomatedSalesTax { get; set; }

    /// <summary>
    /// Preferences: the closing date (AccountingInfoPrefs.BookCloseDate). The API refuses to write a transaction dated on or
    /// before it (6210, <see cref="Accounting.Books"/>); a user, who may know the closing-date password, can still edit
    /// one in QBO's screens. A user sets it (UserChangeEndpoints); write it under <see cref="Gate"/>.
    /// </summary>
    public DateOnly? BookCloseDate { get; set; }

    /// <summary>Preferences: refuse a DocNumber already used (6140) unless include=allowduplicatedocnum.</summary>
    public bool DuplicateDocNumberCheck { get; init; } = true;

    /// <summary>Every entity's records; written only through <see cref="Put"/>, <see cref="Restore"/> and <see cref="Remove"/>.</summary>
    public IReadOnlyDictionary<string, RecordSet> Entities => _entities;

    public Dictionary<string, (int Status, string Body)> Replays { get; } = new(StringComparer.Ordinal);

    public Limits.CompanyLimits Limits { get; } = new();

    /// <summary>The invoices and payments deleted in the last 30 days, for change data capture.</summary>
    public Changes.Tombstones Tombstones { get; } = new();

    /// <summary>Records changed since the last save, for the file-backed store.</summary>
    public HashSet<(string Entity, string Id)> Dirty { get; } = [];

    public int NextId { get; set; } = 1;

    public int NextDocNumber { get; set; } = 1001;

    public RecordSet Set(string entity)
    {
        if (!_entities.TryGetValue(entity, out var set))
        {
            _entities[entity] = set = new RecordSet(entity);
        }

        return set;
    }

    public string TakeId() => (NextId++).ToString(CultureInfo.InvariantCulture);

    /// <summary>Stores a record a write made, marked for the next save.</summary>
    public void Put(string entity, JsonObject record)
    {
        Json.RemoveNulls(record);
        Set(entity).Put(record);
        Touch(entity, record.Str("Id")!);
    }

    /// <summary>Stores a record that is already saved or is about to be saved whole: seeding, loading the file.</summary>
    public void Restore(string entity, JsonObject record)
    {
        Json.RemoveNulls(record);
        Set(entity).Put(record);
    }

    public void Remove(string entity, string id)
    {
        Set(entity).Remove(id);
        Touch(entity, id);
    }

    /// <summary>The invoices of one customer, without looking at every invoice of the company.</summary>
    public IEnumerable<JsonObject> InvoicesOf(string customerId) => Set("Invoice").With(RecordIndexes.CustomerRef, customerId);

    /// <summary>True when an invoice other than <paramref name="exceptId"/> has this DocNumber.</summary>
    public bool DocNumberUsed(string docNumber, string? exceptId) => Set("Invoice").Used(RecordIndexes.DocNumber, docNumber, exceptId);

    public void Touch(string entity, string id) => Dirty.Add((entity, id));
}

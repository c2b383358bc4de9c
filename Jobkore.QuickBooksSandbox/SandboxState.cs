using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting;

namespace Jobkore.QuickBooksSandbox;

/// <summary>Everything the sandbox knows, in memory: the sandbox user, companies and their records, grants and tokens.</summary>
internal sealed class SandboxState
{
    public object OAuthGate { get; } = new();

    public SandboxUser User { get; } = new("sandbox-user-1", "Sandy", "Sandbox", "sandy.sandbox@example.com");

    /// <summary>Every company by realm id. Concurrent: a shared sandbox adds a tenant's company while others are being read.</summary>
    public ConcurrentDictionary<string, SandboxCompany> Companies { get; } = new(StringComparer.Ordinal);

    /// <summary>In a sandbox shared by tenants (<see cref="Tenancy.ISandboxTenancy"/>), each tenant's own company.</summary>
    public ConcurrentDictionary<string, SandboxCompany> CompaniesByTenant { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AuthorizationCode> Codes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AccessToken> AccessTokens { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RefreshToken> RefreshTokens { get; } = new(StringComparer.Ordinal);

    public static string NewSecret(int bytes = 32) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal sealed record SandboxUser(string Sub, string GivenName, string FamilyName, string Email);

/// <summary>One QBO company: its records by entity name and id, as the JSON QBO would return.</summary>
internal sealed class SandboxCompany(string realmId, string name)
{
    public string RealmId { get; } = realmId;

    public string Name { get; } = name;

    /// <summary>The tenant the company belongs to in a shared sandbox; null for the seeded companies of a developer's sandbox.</summary>
    public string? Tenant { get; init; }

    public object Gate { get; } = new();

    /// <summary>US sales tax rate applied to lines with TaxCodeRef TAX.</summary>
    public decimal SalesTaxPercent { get; init; } = 8m;

    /// <summary>Preferences: refuse a DocNumber already used (6140) unless include=allowduplicatedocnum.</summary>
    public bool DuplicateDocNumberCheck { get; init; } = true;

    public Dictionary<string, Dictionary<string, JsonObject>> Entities { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, (int Status, string Body)> Replays { get; } = new(StringComparer.Ordinal);

    public Limits.CompanyLimits Limits { get; } = new();

    /// <summary>Records changed since the last save, for the file-backed store.</summary>
    public HashSet<(string Entity, string Id)> Dirty { get; } = [];

    public int NextId { get; set; } = 1;

    public int NextDocNumber { get; set; } = 1001;

    public Dictionary<string, JsonObject> Set(string entity)
    {
        if (!Entities.TryGetValue(entity, out var set))
        {
            Entities[entity] = set = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        }

        return set;
    }

    public string TakeId() => (NextId++).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Put(string entity, JsonObject record)
    {
        var id = record["Id"]!.GetValue<string>();
        if (IsInvoice(entity))
        {
            EnsureInvoiceIndex();
            Unindex(id);
            Index(id, record);
        }

        Set(entity)[id] = record;
        Touch(entity, id);
    }

    public void Remove(string entity, string id)
    {
        if (IsInvoice(entity))
        {
            EnsureInvoiceIndex();
            Unindex(id);
        }

        Set(entity).Remove(id);
        Touch(entity, id);
    }

    /// <summary>The invoices of one customer, without looking at every invoice of the company.</summary>
    public IEnumerable<JsonObject> InvoicesOf(string customerId)
    {
        EnsureInvoiceIndex();
        var invoices = Set("Invoice");
        return _invoicesByCustomer.TryGetValue(customerId, out var ids) ? ids.Select(id => invoices[id]) : [];
    }

    /// <summary>True when an invoice other than <paramref name="exceptId"/> has this DocNumber.</summary>
    public bool DocNumberUsed(string docNumber, string? exceptId)
    {
        EnsureInvoiceIndex();
        return _invoicesByNumber.TryGetValue(docNumber, out var ids) && ids.Any(id => id != exceptId);
    }

    // Invoice ids by customer and by DocNumber: kept by Put and Remove (the only ways either field changes), and
    // rebuilt when invoices were added another way (seeding, loading the file).
    private readonly Dictionary<string, HashSet<string>> _invoicesByCustomer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _invoicesByNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Customer, string? Number)> _indexedInvoices = new(StringComparer.Ordinal);

    private static bool IsInvoice(string entity) => string.Equals(entity, "Invoice", StringComparison.OrdinalIgnoreCase);

    private void EnsureInvoiceIndex()
    {
        var invoices = Set("Invoice");
        if (_indexedInvoices.Count == invoices.Count)
        {
            return;
        }

        _invoicesByCustomer.Clear();
        _invoicesByNumber.Clear();
        _indexedInvoices.Clear();
        foreach (var (id, invoice) in invoices)
        {
            Index(id, invoice);
        }
    }

    private void Index(string id, JsonObject invoice)
    {
        var customer = invoice.RefValue("CustomerRef");
        var number = invoice.Str("DocNumber");
        _indexedInvoices[id] = (customer, number);
        Add(_invoicesByCustomer, customer, id);
        Add(_invoicesByNumber, number, id);

        static void Add(Dictionary<string, HashSet<string>> index, string? key, string id)
        {
            if (key is not null)
            {
                if (!index.TryGetValue(key, out var ids))
                {
                    index[key] = ids = new HashSet<string>(StringComparer.Ordinal);
                }

                ids.Add(id);
            }
        }
    }

    private void Unindex(string id)
    {
        if (_indexedInvoices.Remove(id, out var old))
        {
            Drop(_invoicesByCustomer, old.Customer, id);
            Drop(_invoicesByNumber, old.Number, id);
        }

        static void Drop(Dictionary<string, HashSet<string>> index, string? key, string id)
        {
            if (key is not null && index.TryGetValue(key, out var ids) && ids.Remove(id) && ids.Count == 0)
            {
                index.Remove(key);
            }
        }
    }

    public void Touch(string entity, string id) => Dirty.Add((entity, id));
}

internal sealed record Grant(string Id, string ClientId, string RealmId)
{
    public bool Revoked { get; set; }
}

internal sealed record AuthorizationCode(string Code, string ClientId, string RedirectUri, string RealmId, string Scope, DateTimeOffset ExpiresAt)
{
    public bool Used { get; set; }
}

internal sealed record AccessToken(string Token, Grant Grant, DateTimeOffset ExpiresAt);

internal sealed record RefreshToken(string Token, Grant Grant, DateTimeOffset ExpiresAt)
{
    /// <summary>When a newer refresh token replaced this one; it keeps working for the grace period after that.</summary>
    public DateTimeOffset? SupersededAt { get; set; }
}

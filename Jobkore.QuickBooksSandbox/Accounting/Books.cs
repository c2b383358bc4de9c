using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting.Entities;

namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>
/// One company's books and what every write does (docs/quickbooks-api.md §2, §5); each entity's own rules are its <see cref="IEntityRules"/>.
/// Call under the company's lock. Records are kept as the JSON QBO returns; every write bumps SyncToken and
/// MetaData.LastUpdatedTime.
/// </summary>
internal sealed class Books(SandboxCompany company, DateTimeOffset now)
{
    private readonly WriteContext _write = new(company, now);

    public JsonObject Read(string entity, string id) =>
        company.Set(entity).TryGetValue(id, out var record) ? record.Copy() : throw Faults.NotFound();

    public JsonObject Create(string entity, JsonObject body, bool allowDuplicateDocNumber)
    {
        var name = EntityRules.Canonical(entity);
        var record = body.Copy();
        StringLimits.Check(name, record);
        record.Remove("Id");
        record.Remove("MetaData");
        record["Id"] = company.TakeId();
        var rules = EntityRules.Find(name) ?? throw Faults.Unsupported($"Operation create is not supported for {entity}.");
        rules.Prepare(_write, record, null, allowDuplicateDocNumber);
        record["SyncToken"] = "0";
        record["domain"] = "QBO";
        record["sparse"] = false;
        record["MetaData"] = new JsonObject { ["CreateTime"] = Json.MetaTime(now), ["LastUpdatedTime"] = Json.MetaTime(now) };
        company.Put(name, record);
        rules.Stored(_write, record);
        _write.BumpChangedInvoices();
        _write.RefreshCustomerBalance(record.RefValue("CustomerRef"));
        return record.Copy();
    }

    /// <summary>
    /// Full update (no <c>"sparse": true</c>): the body is the record — writable fields it omits become absent; read-only
    /// ones stay (Id, MetaData, domain) or are recomputed (TotalAmt, Balance, computed lines, LinkedTxn…).
    /// Sparse update: only what is sent changes, and never to nothing (<see cref="SparseUpdate"/>): a property sent as
    /// null, as "" or as a reference with an empty value is ignored, a nested object merges property by property by the
    /// same rule, an array (Line) replaces the stored one whole. That QBO ignores an empty string is UNCONFIRMED (null
    /// and {value:""} are Intuit support's word): it is modelled conservatively so Jobkore never relies on a sparse update
    /// to clear a field — it clears by a full update of what it read.
    /// </summary>
    public JsonObject Update(string entity, JsonObject body, bool allowDuplicateDocNumber)
    {
        var name = EntityRules.Canonical(entity);
        var existing = Current(name, body);
        JsonObject record;
        if (body.Bool("sparse") == true)
        {
            record = SparseUpdate.Apply(existing, body);
        }
        else
        {
            record = body.Copy();
            foreach (var kept in new[] { "Id", "MetaData", "domain" })
            {
                record[kept] = existing[kept]?.DeepClone();
            }
        }

        StringLimits.Check(name, record);
        var rules = EntityRules.Find(name) ?? throw Faults.Unsupported($"Operation update is not supported for {entity}.");
        rules.Updating(_write, existing);
        try
        {
            rules.Prepare(_write, record, existing, allowDuplicateDocNumber);
        }
        catch (FaultException)
        {
            rules.UpdateRefused(_write, existing);
            throw;
        }

        return Save(rules, record, existing);
    }

    /// <summary>Voids a record of an entity that can be voided (<see cref="IEntityRules.VoidBy"/>): it stays, with its amounts zero.</summary>
    public JsonObject Void(IEntityRules rules, JsonObject body)
    {
        var existing = Current(rules.Entity, body);
        return Save(rules, rules.Void(_write, existing), existing);
    }

    public JsonObject Delete(string entity, JsonObject body)
    {
        var name = EntityRules.Canonical(entity);
        if (EntityRules.Find(name) is not { Deletable: true } rules)
        {
            throw Faults.Unsupported($"Operation delete is not supported for {entity}; make it inactive with Active=false.");
        }

        var existing = Current(name, body);
        rules.Deleting(_write, existing);
        company.Remove(name, existing.Str("Id")!);
        _write.RefreshCustomerBalance(existing.RefValue("CustomerRef"));
        return new JsonObject { ["status"] = "Deleted", ["domain"] = "QBO", ["Id"] = existing.Str("Id") };
    }

    private JsonObject Current(string entity, JsonObject body)
    {
        var id = body.Str("Id") ?? throw Faults.RequiredMissing("Id");
        if (!company.Set(entity).TryGetValue(id, out var existing))
        {
            throw Faults.NotFound();
        }

        if (body.Str("SyncToken") != existing.Str("SyncToken"))
        {
            throw Faults.Stale();
        }

        return existing;
    }

    private JsonObject Save(IEntityRules rules, JsonObject record, JsonObject existing)
    {
        _write.MarkModified(record, existing);
        record["sparse"] = false;
        company.Put(rules.Entity, record);
        rules.Stored(_write, record);
        _write.BumpChangedInvoices();
        _write.RefreshCustomerBalance(record.RefValue("CustomerRef"));
        _write.RefreshCustomerBalance(existing.RefValue("CustomerRef"));
        return record.Copy();
    }
}

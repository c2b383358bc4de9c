using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting.Entities;
using Jobkore.QuickBooksSandbox.Changes;

namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>
/// One company's books and what every write does (docs/quickbooks-api.md §2, §5); each entity's own rules are its <see cref="IEntityRules"/>.
/// Call under the company's lock. Records are kept as the JSON QBO returns; every write bumps SyncToken and
/// MetaData.LastUpdatedTime, and is one of <see cref="Changes"/>.
/// </summary>
internal sealed class Books(SandboxCompany company, DateTimeOffset now, bool closedPeriodRefused = false)
{
    /// <summary>The transactions a closing date closes (<see cref="SandboxCompany.BookCloseDate"/>).</summary>
    private static readonly HashSet<string> s_dated = new(StringComparer.Ordinal) { "Invoice", "Payment" };

    /// <summary>The name lists: never deleted, only made inactive (docs/quickbooks-api.md §2 "Delete / void / deactivate").</summary>
    private static readonly HashSet<string> s_nameLists = new(StringComparer.Ordinal) { "Customer", "Item", "Account" };

    private readonly WriteContext _write = new(company, now);

    public DateTimeOffset Now => now;

    /// <summary>Every change the writes through these books made, in order.</summary>
    public IReadOnlyList<EntityChange> Changes => _write.Changes;

    public JsonObject Read(string entity, string id) =>
        company.Set(entity).TryGetValue(id, out var record) ? record.Copy() : throw Faults.NotFound();

    public JsonObject Create(string entity, JsonObject body, bool allowDuplicateDocNumber)
    {
        var name = EntityRules.Canonical(entity);
        var record = body.Copy();
        StringLimits.Check(name, record);
        record.Remove("Id");
        record.Remove("MetaData");
        RefuseInClosedPeriod(name, record);
        record["Id"] = company.TakeId();
        var rules = EntityRules.Find(name) ?? throw Faults.Unsupported($"Operation create is not supported for {entity}.");
        rules.Prepare(_write, record, null, allowDuplicateDocNumber);
        record["SyncToken"] = "0";
        record["domain"] = "QBO";
        record["sparse"] = false;
        record["MetaData"] = new JsonObject { ["CreateTime"] = Json.MetaTime(now), ["LastUpdatedTime"] = Json.MetaTime(now) };
        company.Put(name, record);
        _write.Changed(name, record.Str("Id")!, ChangeOperation.Create);
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
        RefuseInClosedPeriod(name, existing);
        RefuseInClosedPeriod(name, record);
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

        return Save(rules, record, existing, Deactivates(name, record, existing) ? ChangeOperation.Delete : ChangeOperation.Update);
    }

    /// <summary>Voids a record of an entity that can be voided (<see cref="IEntityRules.VoidBy"/>): it stays, with its amounts zero.</summary>
    public JsonObject Void(IEntityRules rules, JsonObject body)
    {
        var existing = Current(rules.Entity, body);
        RefuseInClosedPeriod(rules.Entity, existing);
        return Save(rules, rules.Void(_write, existing), existing, ChangeOperation.Void);
    }

    public JsonObject Delete(string entity, JsonObject body)
    {
        var name = EntityRules.Canonical(entity);
        if (EntityRules.Find(name) is not { Deletable: true } rules)
        {
            throw Faults.Unsupported($"Operation delete is not supported for {entity}; make it inactive with Active=false.");
        }

        var existing = Current(name, body);
        RefuseInClosedPeriod(name, existing);
        rules.Deleting(_write, existing);
        var id = existing.Str("Id")!;
        company.Remove(name, id);
        company.Tombstones.Add(name, id, now);
        _write.Changed(name, id, ChangeOperation.Delete);
        _write.RefreshCustomerBalance(existing.RefValue("CustomerRef"));
        return new JsonObject { ["status"] = "Deleted", ["domain"] = "QBO", ["Id"] = id };
    }

    /// <summary>
    /// Merges customer <paramref name="mergedId"/> into <paramref name="survivorId"/>, as a QuickBooks user does by giving
    /// one customer another's name (QBO's API has no merge). Its invoices and payments move to the survivor, each an
    /// update; it stays, inactive, with " (deleted)" after its DisplayName — what QBO's lists show for a merged-away name,
    /// UNCONFIRMED for the record the API reads; the survivor is modified too and the merge is one change of it naming
    /// the id merged away (docs/quickbooks-api.md §6: deletedId). That the merged-away customer gets no change of its own
    /// is UNCONFIRMED.
    /// </summary>
    public JsonObject MergeCustomer(string mergedId, string survivorId)
    {
        if (mergedId == survivorId)
        {
            throw Faults.Business("A customer cannot be merged into itself.", "into");
        }

        var customers = company.Set("Customer");
        var merged = customers.GetValueOrDefault(mergedId) ?? throw Faults.NotFound();
        var survivor = _write.RequireActive("Customer", survivorId, "into");
        var survivorRef = Json.Ref(survivorId, survivor.Str("DisplayName"));
        var moved = company.InvoicesOf(mergedId).Select(i => ("Invoice", i))
            .Concat(company.Set("Payment").Values.Where(p => p.RefValue("CustomerRef") == mergedId).Select(p => ("Payment", p)))
            .ToList();
        foreach (var (entity, record) in moved)
        {
            record["CustomerRef"] = survivorRef.DeepClone();
            _write.MarkModified(record, record);
            company.Put(entity, record);
            _write.Changed(entity, record.Str("Id")!, ChangeOperation.Update);
        }

        var renamed = merged.Copy();
        renamed["DisplayName"] = merged.Str("DisplayName") + " (deleted)";
        renamed["FullyQualifiedName"] = renamed.Str("DisplayName");
        renamed["Active"] = false;
        _write.MarkModified(renamed, merged);
        company.Put("Customer", renamed);
        _write.MarkModified(survivor, survivor);
        company.Put("Customer", survivor);
        _write.Changed("Customer", survivorId, ChangeOperation.Merge, mergedId);
        _write.RefreshCustomerBalance(mergedId);
        _write.RefreshCustomerBalance(survivorId);
        return survivor.Copy();
    }

    /// <summary>
    /// A name-list record made inactive: Intuit's webhooks list a Delete operation for Customer, Item and Account
    /// (docs/quickbooks-api.md §10 "Webhooks"), which can only be this, as they are never deleted — so it is announced as
    /// a Delete (UNCONFIRMED), and a reactivation as an Update.
    /// </summary>
    private static bool Deactivates(string entity, JsonObject record, JsonObject existing) =>
        s_nameLists.Contains(entity) && existing.Bool("Active") != false && record.Bool("Active") == false;

    /// <summary>
    /// An API write of a transaction dated on or before the closing date — as stored, or as it would be — is refused
    /// (6210); only the written transaction's own date counts, not that of the invoices a payment is applied to. Checked
    /// before the write takes an Id or a DocNumber or releases a payment's invoices, so a refusal changes nothing; a
    /// record sent without a TxnDate is dated today, as the entity rules will date it.
    /// </summary>
    private void RefuseInClosedPeriod(string entity, JsonObject record)
    {
        if (closedPeriodRefused && company.BookCloseDate is { } closed && s_dated.Contains(entity)
            && (Dates.Read(record, "TxnDate", "TxnDate") ?? DateOnly.FromDateTime(now.UtcDateTime)) <= closed)
        {
            throw Faults.PeriodClosed();
        }
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

    private JsonObject Save(IEntityRules rules, JsonObject record, JsonObject existing, ChangeOperation operation)
    {
        _write.MarkModified(record, existing);
        record["sparse"] = false;
        company.Put(rules.Entity, record);
        _write.Changed(rules.Entity, record.Str("Id")!, operation);
        rules.Stored(_write, record);
        _write.BumpChangedInvoices();
        _write.RefreshCustomerBalance(record.RefValue("CustomerRef"));
        _write.RefreshCustomerBalance(existing.RefValue("CustomerRef"));
        return record.Copy();
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Changes;

namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>
/// One write's view of a company, for the entity rules: the records they refer to, and what a payment does to its
/// invoices and their customer's balance. Lives for one request, under the company's lock.
/// </summary>
internal sealed class WriteContext(SandboxCompany company, DateTimeOffset now)
{
    /// <summary>Invoices a payment applied to or released during this write; each gets one new SyncToken at its end.</summary>
    private readonly HashSet<string> _changedInvoices = new(StringComparer.Ordinal);
    private readonly List<EntityChange> _changes = [];

    public SandboxCompany Company => company;

    public DateTimeOffset Now => now;

    /// <summary>Every change this write made to a record, in the order made: what webhooks announce.</summary>
    public IReadOnlyList<EntityChange> Changes => _changes;

    /// <summary>Today's date as QBO writes a TxnDate.</summary>
    public string Today => DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public JsonObject RequireActive(string entity, string id, string element) =>
        company.Set(entity).TryGetValue(id, out var record) && record.Bool("Active") != false ? record : throw Faults.InvalidReference(element);

    public void Changed(string entity, string id, ChangeOperation operation, string? deletedId = null) =>
        _changes.Add(new EntityChange(entity, id, operation, now, deletedId));

    /// <summary>The next SyncToken and LastUpdatedTime now, CreateTime kept (docs/quickbooks-api.md §2: every modification bumps SyncToken).</summary>
    public void MarkModified(JsonObject record, JsonObject existing)
    {
        record["SyncToken"] = (int.Parse(existing.Str("SyncToken")!, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        record["MetaData"] = new JsonObject { ["CreateTime"] = (existing["MetaData"] as JsonObject)?.Str("CreateTime"), ["LastUpdatedTime"] = Json.MetaTime(now) };
    }

    /// <summary>
    /// A payment applied to an invoice, or one applied to it that is updated, voided or deleted, modifies the invoice:
    /// its SyncToken goes up once per write (docs/quickbooks-api.md §10, LanternOps/breeze PR #4624 — a live token 4 against a stored 0).
    /// </summary>
    public void BumpChangedInvoices()
    {
        foreach (var id in _changedInvoices)
        {
            if (company.Set("Invoice").TryGetValue(id, out var invoice))
            {
                MarkModified(invoice, invoice);
                Changed("Invoice", id, ChangeOperation.Update);
            }
        }

        _changedInvoices.Clear();
    }

    /// <summary>The write was refused: the invoices it touched keep their SyncToken.</summary>
    public void ForgetChangedInvoices() => _changedInvoices.Clear();

    public void ApplyPayment(JsonObject payment) => ChangeInvoicesOf(payment, apply: true);

    public void UnapplyPayment(JsonObject payment) => ChangeInvoicesOf(payment, apply: false);

    /// <summary>A customer's Balance is what its invoices still owe, as QBO keeps it.</summary>
    public void RefreshCustomerBalance(string? customerId)
    {
        if (customerId is null || !company.Set("Customer").TryGetValue(customerId, out var customer))
        {
            return;
        }

        var owed = company.InvoicesOf(customerId).Sum(i => i.Dec("Balance") ?? 0);
        if (customer.Dec("Balance") != owed)
        {
            customer["Balance"] = owed;
            customer["BalanceWithJobs"] = owed;
            company.Touch("Customer", customerId);
        }
    }

    /// <summary>What payments have applied to an invoice: its total less what it still owes (kept by ChangeInvoicesOf).</summary>
    public static decimal Applied(JsonObject invoice) => (invoice.Dec("TotalAmt") ?? 0) - (invoice.Dec("Balance") ?? 0);

    private void ChangeInvoicesOf(JsonObject payment, bool apply)
    {
        var paymentId = payment.Str("Id")!;
        foreach (var line in (payment["Line"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var linked in (line["LinkedTxn"] as JsonArray ?? []).OfType<JsonObject>().Where(l => l.Str("TxnType") == "Invoice"))
            {
                if (!company.Set("Invoice").TryGetValue(linked.Str("TxnId")!, out var invoice))
                {
                    continue;
                }

                var amount = line.Dec("Amount") ?? 0;
                company.Touch("Invoice", invoice.Str("Id")!);
                _changedInvoices.Add(invoice.Str("Id")!);
                invoice["Balance"] = (invoice.Dec("Balance") ?? 0) + (apply ? -amount : amount);
                var links = invoice["LinkedTxn"] as JsonArray ?? [];
                invoice["LinkedTxn"] = links;
                if (apply)
                {
                    links.Add(new JsonObject { ["TxnId"] = paymentId, ["TxnType"] = "Payment" });
                }
                else
                {
                    foreach (var link in links.OfType<JsonObject>().Where(l => l.Str("TxnId") == paymentId && l.Str("TxnType") == "Payment").ToList())
                    {
                        links.Remove(link);
                    }
                }
            }
        }
    }
}

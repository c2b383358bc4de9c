using System.Text.Json.Nodes;

namespace Jobkore.QuickBooksSandbox.Accounting.Entities;

/// <summary>
/// Payment (docs/quickbooks-api.md §5): applied lines must point at open invoices of the same customer; the rest is unapplied. A payment
/// applies itself to its invoices when stored and releases them when updated, voided (update with include=void) or deleted.
/// </summary>
internal sealed class PaymentRules : IEntityRules
{
    public string Entity => "Payment";

    public VoidRequest VoidBy => VoidRequest.UpdateIncludingVoid;

    public bool Deletable => true;

    public void Prepare(WriteContext write, JsonObject record, JsonObject? existing, bool allowDuplicateDocNumber)
    {
        var customerId = record.RefValue("CustomerRef") ?? throw Faults.RequiredMissing("CustomerRef");
        var customer = write.RequireActive("Customer", customerId, "CustomerRef");
        var total = record.Dec("TotalAmt") ?? throw Faults.RequiredMissing("TotalAmt");
        if (record.RefValue("DepositToAccountRef") is { } accountId)
        {
            var account = write.RequireActive("Account", accountId, "DepositToAccountRef");
            if (account.Str("AccountType") is not ("Bank" or "Other Current Asset"))
            {
                throw Faults.Business("The deposit account must be a Bank or Other Current Asset account.", "DepositToAccountRef");
            }

            record["DepositToAccountRef"] = Json.Ref(accountId, account.Str("Name"));
        }
        else
        {
            var undeposited = write.Company.Set("Account").Values.First(a => a.Str("AccountSubType") == "UndepositedFunds");
            record["DepositToAccountRef"] = Json.Ref(undeposited.Str("Id")!, undeposited.Str("Name"));
        }

        var applied = Applied(write, record, customerId);
        if (applied > total)
        {
            throw Faults.Business("The amounts applied are more than the payment's total.", "TotalAmt");
        }

        record["CustomerRef"] = Json.Ref(customerId, customer.Str("DisplayName"));
        record["UnappliedAmt"] = total - applied;
        record["TxnDate"] = Dates.Read(record, "TxnDate", "TxnDate") is { } txnDate ? Dates.Text(txnDate) : write.Today;
        record["ProcessPayment"] ??= false;
        record["Line"] ??= new JsonArray();
    }

    /// <summary>A payment is checked against its invoices' balances without itself; refused, it stays applied as it was.</summary>
    public void Updating(WriteContext write, JsonObject existing) => write.UnapplyPayment(existing);

    public void UpdateRefused(WriteContext write, JsonObject existing)
    {
        write.ApplyPayment(existing);
        write.ForgetChangedInvoices();
    }

    public void Stored(WriteContext write, JsonObject record) => write.ApplyPayment(record);

    /// <summary>Voids a payment: TotalAmt and UnappliedAmt zero, no lines, PrivateNote "Voided"; invoices get their balance back.</summary>
    public JsonObject Void(WriteContext write, JsonObject existing)
    {
        write.UnapplyPayment(existing);
        var record = existing.Copy();
        record["TotalAmt"] = 0m;
        record["UnappliedAmt"] = 0m;
        record["Line"] = new JsonArray();
        record["PrivateNote"] = "Voided";
        return record;
    }

    public void Deleting(WriteContext write, JsonObject existing)
    {
        write.UnapplyPayment(existing);
        write.BumpChangedInvoices();
    }

    /// <summary>What the payment's lines apply, each checked against the invoice it links to.</summary>
    private static decimal Applied(WriteContext write, JsonObject record, string customerId)
    {
        decimal applied = 0;
        foreach (var line in (record["Line"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var amount = line.Dec("Amount") ?? throw Faults.RequiredMissing("Line.Amount");
            foreach (var linked in (line["LinkedTxn"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (linked.Str("TxnType") != "Invoice")
                {
                    continue;
                }

                var invoice = write.Company.Set("Invoice").GetValueOrDefault(linked.Str("TxnId") ?? string.Empty) ?? throw Faults.InvalidReference("LinkedTxn");
                if (invoice.RefValue("CustomerRef") != customerId)
                {
                    throw Faults.Business("The payment is applied to an invoice of another customer.", "LinkedTxn");
                }

                if (amount > (invoice.Dec("Balance") ?? 0))
                {
                    throw Faults.Business($"The amount applied to invoice {invoice.Str("DocNumber")} is more than its open balance.", "Line.Amount");
                }
            }

            applied += amount;
        }

        return applied;
    }
}

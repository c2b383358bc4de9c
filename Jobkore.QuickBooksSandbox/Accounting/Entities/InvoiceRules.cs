using System.Globalization;
using System.Text.Json.Nodes;

namespace Jobkore.QuickBooksSandbox.Accounting.Entities;

/// <summary>
/// Invoice (docs/quickbooks-api.md §5): CustomerRef and ≥ 1 line; amounts, tax, a subtotal line, TotalAmt and Balance computed here.
/// Voided by its own operation; deleted only without payments applied.
/// </summary>
internal sealed class InvoiceRules : IEntityRules
{
    /// <summary>docs/quickbooks-api.md §5 Invoice: a line Amount has at most 15 digits, 10 before the point (the error code is UNCONFIRMED).</summary>
    private const decimal MaxLineAmount = 9_999_999_999.99m;

    /// <summary>docs/quickbooks-api.md §5 Invoice: "&gt;750 lines not allowed when taxable" (the error code is UNCONFIRMED).</summary>
    private const int MaxLinesWhenTaxable = 750;

    public string Entity => "Invoice";

    public VoidRequest VoidBy => VoidRequest.VoidOperation;

    public bool Deletable => true;

    public void Prepare(WriteContext write, JsonObject record, JsonObject? existing, bool allowDuplicateDocNumber)
    {
        var company = write.Company;
        var customerId = record.RefValue("CustomerRef") ?? throw Faults.RequiredMissing("CustomerRef");
        var customer = write.RequireActive("Customer", customerId, "CustomerRef");
        if (record["Line"] is not JsonArray lines || lines.Count == 0)
        {
            throw Faults.RequiredMissing("Line");
        }

        var docNumber = record.Str("DocNumber");
        if (docNumber is null)
        {
            docNumber = (company.NextDocNumber++).ToString(CultureInfo.InvariantCulture);
        }
        else if (company.DuplicateDocNumberCheck && !allowDuplicateDocNumber
                 && company.DocNumberUsed(docNumber, record.Str("Id")))
        {
            throw Faults.DuplicateDocNumber();
        }

        // With automated sales tax QuickBooks computes the tax itself: a TotalTax is an override only with its TxnTaxCodeRef.
        var taxDetail = record["TxnTaxDetail"] as JsonObject;
        var taxCode = taxDetail?["TxnTaxCodeRef"]?.DeepClone();
        var explicitTax = write.Company.AutomatedSalesTax && taxDetail?.RefValue("TxnTaxCodeRef") is null ? null : taxDetail?.Dec("TotalTax");
        var (kept, subtotal, tax) = Lines(write, lines, explicitTax);
        var total = subtotal.Sales - subtotal.Discount + tax;
        var txnDate = Dates.Read(record, "TxnDate", "TxnDate") ?? DateOnly.FromDateTime(write.Now.UtcDateTime);
        var dueDate = Dates.Read(record, "DueDate", "DueDate") ?? txnDate.AddDays(30);

        record["Line"] = kept;
        record["DocNumber"] = docNumber;
        record["CustomerRef"] = Json.Ref(customerId, customer.Str("DisplayName"));
        record["TxnDate"] = Dates.Text(txnDate);
        record["DueDate"] = Dates.Text(dueDate);
        record["TxnTaxDetail"] = taxCode is null ? new JsonObject { ["TotalTax"] = tax } : new JsonObject { ["TxnTaxCodeRef"] = taxCode, ["TotalTax"] = tax };
        record["TotalAmt"] = total;
        record["Balance"] = total - (existing is null ? 0 : WriteContext.Applied(existing));
        record["Deposit"] ??= 0m;
        record["ApplyTaxAfterDiscount"] ??= false;
        record["PrintStatus"] ??= "NeedToPrint";
        record["EmailStatus"] ??= "NotSet";
        record["LinkedTxn"] = existing?["LinkedTxn"]?.DeepClone() ?? new JsonArray();
        if (record["BillAddr"] is null && customer["BillAddr"] is JsonObject billAddr)
        {
            record["BillAddr"] = billAddr.DeepClone();
        }
    }

    /// <summary>Voids an invoice: it stays, every amount becomes zero, "Voided" is prepended to PrivateNote (docs/quickbooks-api.md §2).</summary>
    public JsonObject Void(WriteContext write, JsonObject existing)
    {
        if (WriteContext.Applied(existing) > 0)
        {
            throw Faults.Business("This invoice has payments applied. Remove or void the payments first.");
        }

        var record = existing.Copy();
        foreach (var line in (record["Line"] as JsonArray ?? []).OfType<JsonObject>())
        {
            line["Amount"] = 0m;
            if (line["SalesItemLineDetail"] is JsonObject detail)
            {
                detail["Qty"] = 0m;
                detail["UnitPrice"] = 0m;
            }
        }

        record["TxnTaxDetail"] = new JsonObject { ["TotalTax"] = 0m };
        record["TotalAmt"] = 0m;
        record["Balance"] = 0m;
        var note = record.Str("PrivateNote");
        record["PrivateNote"] = string.IsNullOrEmpty(note) ? "Voided" : "Voided - " + note;
        return record;
    }

    public void Deleting(WriteContext write, JsonObject existing)
    {
        if (WriteContext.Applied(existing) > 0)
        {
            throw Faults.Business("You must unlink the payments from this invoice before deleting it.");
        }
    }

    /// <summary>The lines to store (numbered, amounts computed, a subtotal line last), their sales and discount totals, and the tax.</summary>
    private static (JsonArray Lines, (decimal Sales, decimal Discount) Subtotal, decimal Tax) Lines(WriteContext write, JsonArray lines, decimal? explicitTax)
    {
        decimal subtotal = 0, taxable = 0, discount = 0;
        var salesLines = 0;
        var taxableLines = false;
        var kept = new JsonArray();
        var lineNumber = 0;
        foreach (var line in lines.OfType<JsonObject>().Select(l => l.Copy()))
        {
            switch (line.Str("DetailType"))
            {
                case "SubTotalLineDetail":
                    continue; // recomputed below
                case "SalesItemLineDetail":
                    var detail = line["SalesItemLineDetail"] as JsonObject ?? throw Faults.RequiredMissing("SalesItemLineDetail");
                    Dates.Read(detail, "ServiceDate", "Line.SalesItemLineDetail.ServiceDate");
                    if (detail.RefValue("ItemRef") is { } itemId)
                    {
                        var item = write.RequireActive("Item", itemId, "ItemRef");
                        detail["ItemRef"] = Json.Ref(itemId, item.Str("Name"));
                    }

                    var supplied = line.Dec("Amount");
                    var amount = detail.Dec("Qty") is { } qty && detail.Dec("UnitPrice") is { } price ? Json.Cents(qty * price)
                        : supplied ?? throw Faults.RequiredMissing("Amount");
                    if (supplied is { } given && Json.Cents(given) != amount)
                    {
                        throw Faults.AmountNotQtyTimesPrice(given);
                    }
                    if (Math.Abs(amount) > MaxLineAmount)
                    {
                        throw Faults.Business("A line amount can have at most 10 digits before the decimal point.", "Line.Amount");
                    }

                    line["Amount"] = amount;
                    detail["TaxCodeRef"] ??= Json.Ref("NON", null);
                    subtotal += amount;
                    salesLines++;
                    if (detail.RefValue("TaxCodeRef") == "TAX")
                    {
                        taxable += amount;
                        taxableLines = true;
                    }

                    break;
                case "DiscountLineDetail":
                    var discountDetail = line["DiscountLineDetail"] as JsonObject ?? new JsonObject();
                    var value = discountDetail.Bool("PercentBased") == true && discountDetail.Dec("DiscountPercent") is { } percent
                        ? Json.Cents(subtotal * percent / 100m)
                        : line.Dec("Amount") ?? 0m;
                    line["Amount"] = value;
                    discount += value;
                    break;
                case "DescriptionOnly":
                    line["Amount"] = 0m;
                    break;
                default:
                    throw Faults.Validation("2170", "Invalid Enumeration", $"Invalid Enumeration : {line.Str("DetailType")}", "Line.DetailType");
            }

            line["Id"] = (++lineNumber).ToString(CultureInfo.InvariantCulture);
            line["LineNum"] = lineNumber;
            kept.Add(line);
        }

        if (taxableLines && salesLines > MaxLinesWhenTaxable)
        {
            throw Faults.Business($"An invoice with taxable lines can have at most {MaxLinesWhenTaxable} lines.", "Line");
        }

        kept.Add(new JsonObject { ["Amount"] = subtotal, ["DetailType"] = "SubTotalLineDetail", ["SubTotalLineDetail"] = new JsonObject() });
        var tax = explicitTax ?? Json.Cents(taxable * write.Company.SalesTaxPercent / 100m);
        return (kept, (subtotal, discount), tax);
    }
}

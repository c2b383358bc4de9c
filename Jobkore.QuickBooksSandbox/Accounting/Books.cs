using System.Globalization;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Records;

namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>
/// One company's books and the rules QBO applies to writes (facts §2, §5). Call under the company's lock.
/// Records are kept as the JSON QBO returns; every write bumps SyncToken and MetaData.LastUpdatedTime.
/// </summary>
internal sealed class Books(SandboxCompany company, DateTimeOffset now)
{
    /// <summary>Facts §5 Invoice: a line Amount has at most 15 digits, 10 before the point (the error code is UNCONFIRMED).</summary>
    private const decimal MaxLineAmount = 9_999_999_999.99m;

    /// <summary>Facts §5 Invoice: "&gt;750 lines not allowed when taxable" (the error code is UNCONFIRMED).</summary>
    private const int MaxLinesWhenTaxable = 750;

    private static readonly string[] s_nameEntities = ["Customer", "Vendor", "Employee"];
    private static readonly char[] s_forbiddenNameCharacters = [':', '\t', '\n'];
    private static readonly string[] s_nameParts = ["Title", "GivenName", "MiddleName", "FamilyName", "Suffix"];

    /// <summary>Invoices a payment applied to or released during this write; each gets one new SyncToken at its end.</summary>
    private readonly HashSet<string> _changedInvoices = new(StringComparer.Ordinal);

    public static readonly HashSet<string> Writable = new(StringComparer.OrdinalIgnoreCase) { "Customer", "Item", "Account", "Invoice", "Payment" };

    public static readonly HashSet<string> Readable = new(StringComparer.OrdinalIgnoreCase)
    {
        "Customer", "Vendor", "Employee", "Item", "Account", "Invoice", "Payment", "PaymentMethod", "TaxCode", "CompanyInfo",
    };

    public JsonObject Read(string entity, string id) =>
        company.Set(entity).TryGetValue(id, out var record) ? record.Copy() : throw Faults.NotFound();

    public JsonObject Create(string entity, JsonObject body, bool allowDuplicateDocNumber)
    {
        var record = body.Copy();
        StringLimits.Check(Canonical(entity), record);
        record.Remove("Id");
        record.Remove("MetaData");
        record["Id"] = company.TakeId();
        Prepare("create", entity, record, null, allowDuplicateDocNumber);
        record["SyncToken"] = "0";
        record["domain"] = "QBO";
        record["sparse"] = false;
        record["MetaData"] = new JsonObject { ["CreateTime"] = Json.MetaTime(now), ["LastUpdatedTime"] = Json.MetaTime(now) };
        company.Put(Canonical(entity), record);
        if (Canonical(entity) == "Payment")
        {
            ApplyPayment(record);
        }

        BumpChangedInvoices();
        RefreshCustomerBalance(record.RefValue("CustomerRef"));
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
        var existing = Current(entity, body);
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

        StringLimits.Check(Canonical(entity), record);
        // A payment is checked against its invoices' balances without itself; refused, it stays applied as it was.
        if (Canonical(entity) == "Payment")
        {
            UnapplyPayment(existing);
        }

        try
        {
            Prepare("update", entity, record, existing, allowDuplicateDocNumber);
        }
        catch (FaultException) when (Canonical(entity) == "Payment")
        {
            ApplyPayment(existing);
            _changedInvoices.Clear();
            throw;
        }

        return Save(Canonical(entity), record, existing);
    }

    /// <summary>Voids an invoice: it stays, every amount becomes zero, "Voided" is prepended to PrivateNote (facts §2).</summary>
    public JsonObject VoidInvoice(JsonObject body)
    {
        var existing = Current("Invoice", body);
        if (Applied(existing) > 0)
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
        return Save("Invoice", record, existing);
    }

    /// <summary>Voids a payment: TotalAmt and UnappliedAmt zero, no lines, PrivateNote "Voided"; invoices get their balance back.</summary>
    public JsonObject VoidPayment(JsonObject body)
    {
        var existing = Current("Payment", body);
        UnapplyPayment(existing);
        var record = existing.Copy();
        record["TotalAmt"] = 0m;
        record["UnappliedAmt"] = 0m;
        record["Line"] = new JsonArray();
        record["PrivateNote"] = "Voided";
        return Save("Payment", record, existing);
    }

    public JsonObject Delete(string entity, JsonObject body)
    {
        var name = Canonical(entity);
        if (name is not ("Invoice" or "Payment"))
        {
            throw Faults.Unsupported($"Operation delete is not supported for {entity}; make it inactive with Active=false.");
        }

        var existing = Current(name, body);
        if (name == "Invoice" && Applied(existing) > 0)
        {
            throw Faults.Business("You must unlink the payments from this invoice before deleting it.");
        }

        if (name == "Payment")
        {
            UnapplyPayment(existing);
            BumpChangedInvoices();
        }

        company.Remove(name, existing.Str("Id")!);
        RefreshCustomerBalance(existing.RefValue("CustomerRef"));
        return new JsonObject { ["status"] = "Deleted", ["domain"] = "QBO", ["Id"] = existing.Str("Id") };
    }

    internal static string Canonical(string entity) =>
        Readable.FirstOrDefault(e => string.Equals(e, entity, StringComparison.OrdinalIgnoreCase)) ?? entity;

    private JsonObject Current(string entity, JsonObject body)
    {
        var id = body.Str("Id") ?? throw Faults.RequiredMissing("Id");
        if (!company.Set(Canonical(entity)).TryGetValue(id, out var existing))
        {
            throw Faults.NotFound();
        }

        if (body.Str("SyncToken") != existing.Str("SyncToken"))
        {
            throw Faults.Stale();
        }

        return existing;
    }

    private JsonObject Save(string entity, JsonObject record, JsonObject existing)
    {
        MarkModified(record, existing);
        record["sparse"] = false;
        company.Put(entity, record);
        if (entity == "Payment")
        {
            ApplyPayment(record);
        }

        BumpChangedInvoices();
        RefreshCustomerBalance(record.RefValue("CustomerRef"));
        RefreshCustomerBalance(existing.RefValue("CustomerRef"));
        return record.Copy();
    }

    /// <summary>Checks a record about to be stored and fills in what QBO fills in, by entity.</summary>
    private void Prepare(string operation, string entity, JsonObject record, JsonObject? existing, bool allowDuplicateDocNumber)
    {
        switch (Canonical(entity))
        {
            case "Customer": PrepareCustomer(record, existing); break;
            case "Item": PrepareItem(record, existing); break;
            case "Account": PrepareAccount(record, existing); break;
            case "Invoice": PrepareInvoice(record, existing, allowDuplicateDocNumber); break;
            case "Payment": PreparePayment(record); break;
            default: throw Faults.Unsupported($"Operation {operation} is not supported for {entity}.");
        }
    }

    // Customer (facts §5): DisplayName unique across customers, vendors and employees, no ':' tab or newline, ≤ 500.
    private void PrepareCustomer(JsonObject record, JsonObject? existing)
    {
        var displayName = record.Str("DisplayName");
        if (string.IsNullOrWhiteSpace(displayName))
        {
            displayName = string.Join(" ", s_nameParts.Select(record.Str).Where(p => !string.IsNullOrWhiteSpace(p)));
        }

        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw Faults.RequiredMissing("DisplayName");
        }

        CheckName(displayName, "DisplayName", 500);
        if (s_nameEntities.Any(e => company.Set(e).Used(RecordIndexes.DisplayName, displayName, existing?.Str("Id"))))
        {
            throw Faults.DuplicateName();
        }

        if (record.Bool("Active") == false && (existing?.Dec("Balance") ?? 0) != 0)
        {
            throw Faults.Business("Delete List Has Balance Error: This customer cannot be made inactive because it has a non-zero balance.");
        }

        record["DisplayName"] = displayName;
        record["FullyQualifiedName"] = displayName;
        // What QBO fills in for a DisplayName longer than PrintOnCheckName's limit is UNCONFIRMED; it must fit that limit.
        record["PrintOnCheckName"] ??= displayName[..Math.Min(displayName.Length, StringLimits.Max("Customer", "PrintOnCheckName"))];
        record["Active"] ??= true;
        record["Taxable"] ??= false;
        record["Job"] ??= false;
        record["BillWithParent"] ??= false;
        record["PreferredDeliveryMethod"] ??= "Print";
        record["CurrencyRef"] ??= Json.Ref("USD", "United States Dollar");
        record["Balance"] = existing?.Dec("Balance") ?? 0m;
        record["BalanceWithJobs"] = existing?.Dec("Balance") ?? 0m;
    }

    // Item (facts §5): Name unique, Type required; Service and Inventory need an income account.
    private void PrepareItem(JsonObject record, JsonObject? existing)
    {
        var name = record.Str("Name");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Faults.RequiredMissing("Name");
        }

        CheckName(name, "Name");
        if (company.Set("Item").Used(RecordIndexes.Name, name, existing?.Str("Id")))
        {
            throw Faults.Validation("6240", "Duplicate Name Exists Error", "The name supplied already exists. : Another product or service is already using this name. Please use a different name.", "Name");
        }

        var type = record.Str("Type") ?? throw Faults.RequiredMissing("Type");
        if (type is not ("Service" or "NonInventory" or "Inventory"))
        {
            throw Faults.Validation("2170", "Invalid Enumeration", $"Invalid Enumeration : {type}", "Type");
        }

        if (type is "Service" or "Inventory")
        {
            var income = record.RefValue("IncomeAccountRef") ?? throw Faults.RequiredMissing("IncomeAccountRef");
            RequireActive("Account", income, "IncomeAccountRef");
        }

        record["FullyQualifiedName"] = name;
        record["Active"] ??= true;
        record["Taxable"] ??= false;
        record["UnitPrice"] ??= 0m;
        record["TrackQtyOnHand"] ??= false;
    }

    private void PrepareAccount(JsonObject record, JsonObject? existing)
    {
        var name = record.Str("Name");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Faults.RequiredMissing("Name");
        }

        if (name.Contains(':', StringComparison.Ordinal) || name.Contains('"', StringComparison.Ordinal))
        {
            throw Faults.Business("An account name cannot contain a colon or a double quote.", "Name");
        }

        if (company.Set("Account").Used(RecordIndexes.Name, name, existing?.Str("Id")))
        {
            throw Faults.Validation("6240", "Duplicate Name Exists Error", "The name supplied already exists. : Another account is already using this name. Please use a different name.", "Name");
        }

        if (record.Str("AccountType") is null)
        {
            throw Faults.RequiredMissing("AccountType");
        }

        record["FullyQualifiedName"] = name;
        record["Active"] ??= true;
        record["SubAccount"] ??= false;
        record["CurrentBalance"] ??= 0m;
    }

    // Invoice (facts §5): CustomerRef and ≥ 1 line; amounts, tax, a subtotal line, TotalAmt and Balance computed here.
    private void PrepareInvoice(JsonObject record, JsonObject? existing, bool allowDuplicateDocNumber)
    {
        var customerId = record.RefValue("CustomerRef") ?? throw Faults.RequiredMissing("CustomerRef");
        var customer = RequireActive("Customer", customerId, "CustomerRef");
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
                    if (detail.RefValue("ItemRef") is { } itemId)
                    {
                        var item = RequireActive("Item", itemId, "ItemRef");
                        detail["ItemRef"] = Json.Ref(itemId, item.Str("Name"));
                    }

                    var amount = detail.Dec("Qty") is { } qty && detail.Dec("UnitPrice") is { } price ? Json.Cents(qty * price)
                        : line.Dec("Amount") ?? throw Faults.RequiredMissing("Amount");
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
        var explicitTax = (record["TxnTaxDetail"] as JsonObject)?.Dec("TotalTax");
        var tax = explicitTax ?? Json.Cents(taxable * company.SalesTaxPercent / 100m);
        var total = subtotal - discount + tax;
        var txnDate = record.Str("TxnDate") ?? DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        record["Line"] = kept;
        record["DocNumber"] = docNumber;
        record["CustomerRef"] = Json.Ref(customerId, customer.Str("DisplayName"));
        record["TxnDate"] = txnDate;
        record["DueDate"] ??= DateOnly.ParseExact(txnDate, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        record["TxnTaxDetail"] = new JsonObject { ["TotalTax"] = tax };
        record["TotalAmt"] = total;
        record["Balance"] = total - (existing is null ? 0 : Applied(existing));
        record["Deposit"] ??= 0m;
        record["ApplyTaxAfterDiscount"] ??= false;
        record["PrintStatus"] ??= "NeedToPrint";
        record["EmailStatus"] ??= "NotSet";
        record["LinkedTxn"] = existing?["LinkedTxn"]?.DeepClone() ?? new JsonArray();
        record["BillAddr"] ??= customer["BillAddr"]?.DeepClone();
    }

    // Payment (facts §5): applied lines must point at open invoices of the same customer; the rest is unapplied.
    private void PreparePayment(JsonObject record)
    {
        var customerId = record.RefValue("CustomerRef") ?? throw Faults.RequiredMissing("CustomerRef");
        var customer = RequireActive("Customer", customerId, "CustomerRef");
        var total = record.Dec("TotalAmt") ?? throw Faults.RequiredMissing("TotalAmt");
        if (record.RefValue("DepositToAccountRef") is { } accountId)
        {
            var account = RequireActive("Account", accountId, "DepositToAccountRef");
            if (account.Str("AccountType") is not ("Bank" or "Other Current Asset"))
            {
                throw Faults.Business("The deposit account must be a Bank or Other Current Asset account.", "DepositToAccountRef");
            }

            record["DepositToAccountRef"] = Json.Ref(accountId, account.Str("Name"));
        }
        else
        {
            var undeposited = company.Set("Account").Values.First(a => a.Str("AccountSubType") == "UndepositedFunds");
            record["DepositToAccountRef"] = Json.Ref(undeposited.Str("Id")!, undeposited.Str("Name"));
        }

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

                var invoice = company.Set("Invoice").GetValueOrDefault(linked.Str("TxnId") ?? string.Empty) ?? throw Faults.InvalidReference("LinkedTxn");
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

        if (applied > total)
        {
            throw Faults.Business("The amounts applied are more than the payment's total.", "TotalAmt");
        }

        record["CustomerRef"] = Json.Ref(customerId, customer.Str("DisplayName"));
        record["UnappliedAmt"] = total - applied;
        record["TxnDate"] ??= DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        record["ProcessPayment"] ??= false;
        record["Line"] ??= new JsonArray();
    }

    /// <summary>The next SyncToken and LastUpdatedTime now, CreateTime kept (facts §2: every modification bumps SyncToken).</summary>
    private void MarkModified(JsonObject record, JsonObject existing)
    {
        record["SyncToken"] = (int.Parse(existing.Str("SyncToken")!, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        record["MetaData"] = new JsonObject { ["CreateTime"] = (existing["MetaData"] as JsonObject)?.Str("CreateTime"), ["LastUpdatedTime"] = Json.MetaTime(now) };
    }

    /// <summary>
    /// A payment applied to an invoice, or one applied to it that is updated, voided or deleted, modifies the invoice:
    /// its SyncToken goes up once per write (facts §10, LanternOps/breeze PR #4624 — a live token 4 against a stored 0).
    /// </summary>
    private void BumpChangedInvoices()
    {
        foreach (var id in _changedInvoices)
        {
            if (company.Set("Invoice").TryGetValue(id, out var invoice))
            {
                MarkModified(invoice, invoice);
            }
        }

        _changedInvoices.Clear();
    }

    private void ApplyPayment(JsonObject payment) => ChangeInvoicesOf(payment, apply: true);

    private void UnapplyPayment(JsonObject payment) => ChangeInvoicesOf(payment, apply: false);

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

    /// <summary>A customer's Balance is what its invoices still owe, as QBO keeps it.</summary>
    private void RefreshCustomerBalance(string? customerId)
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
    private static decimal Applied(JsonObject invoice) => (invoice.Dec("TotalAmt") ?? 0) - (invoice.Dec("Balance") ?? 0);

    private JsonObject RequireActive(string entity, string id, string element) =>
        company.Set(entity).TryGetValue(id, out var record) && record.Bool("Active") != false ? record : throw Faults.InvalidReference(element);

    private static void CheckName(string name, string element, int? maxLength = null)
    {
        if (name.IndexOfAny(s_forbiddenNameCharacters) >= 0)
        {
            throw Faults.Business($"{element} cannot contain a colon (:), a tab or a new line.", element);
        }

        if (name.Length > maxLength)
        {
            throw Faults.Business($"{element} can be at most {maxLength} characters.", element);
        }
    }
}

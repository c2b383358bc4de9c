using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Models;

namespace Jobkore.Core.Sync.Projection;

/// <summary>
/// The QuickBooks document each Jobkore record should be (docs/design.md §4 invariant 7), as pure functions: the engine
/// sends what these return, and the tests compare every record Jobkore shows as up to date with QuickBooks' copy of
/// it, field by field (<see cref="QboOwnedFields"/>). A field Jobkore owns and has no value for is left out (null).
/// </summary>
public static class QboProjection
{
    /// <summary>QuickBooks refuses a PaymentRefNum over 21 characters (docs/quickbooks-api.md §10; code 2050).</summary>
    public const int MaxPaymentReference = 21;

    /// <summary>Where a payment's whole reference goes when it is longer than QuickBooks' reference number allows.</summary>
    public const string LongReferencePrefix = "Reference: ";

    public static QboCustomer Customer(Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var a = client.BillingAddress;
        return new QboCustomer
        {
            DisplayName = QboNames.DisplayName(client.DisplayName),

            // A client is active in Jobkore; sending it makes a customer deleted (made inactive) in QuickBooks active again.
            Active = true,
            CompanyName = client.CompanyName,
            PrimaryEmailAddr = client.Email is null ? null : new QboEmail(client.Email),
            PrimaryPhone = client.Phone is null ? null : new QboPhone(client.Phone),
            BillAddr = a.IsEmpty ? null : new QboAddress
            {
                Line1 = a.Line1, Line2 = a.Line2, City = a.City, CountrySubDivisionCode = a.Region, PostalCode = a.PostalCode, Country = a.Country,
            },
        };
    }

    public static QboItem Item(CatalogItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new QboItem
        {
            Name = QboNames.ItemName(item.Name), Description = item.Description, UnitPrice = item.UnitPrice, Taxable = item.Taxable, Active = item.Active,
        };
    }

    /// <summary>An invoice (its lines loaded) billed to QuickBooks customer <paramref name="customerId"/>; <paramref name="itemId"/> gives each catalog item's QuickBooks id.</summary>
    public static QboInvoice Invoice(Invoice invoice, string customerId, Func<int, string> itemId)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(itemId);
        return new QboInvoice
        {
            DocNumber = invoice.Number,
            CustomerRef = new QboRef(customerId),
            TxnDate = invoice.IssueDate,
            DueDate = invoice.DueDate,
            CustomerMemo = invoice.Memo is null ? null : new QboMemo(invoice.Memo),
            PrivateNote = $"Jobkore invoice {invoice.Number}",
            TxnTaxDetail = new QboTxnTaxDetail { TotalTax = invoice.Tax },
            Line = [.. invoice.Lines.OrderBy(l => l.Position).Select(l => new QboLine
            {
                DetailType = "SalesItemLineDetail",
                Description = l.Description,
                Amount = l.Amount,
                SalesItemLineDetail = new QboSalesItemLineDetail
                {
                    ItemRef = l.CatalogItemId is { } id ? new QboRef(itemId(id)) : null,
                    Qty = l.Quantity,
                    UnitPrice = l.UnitPrice,
                    TaxCodeRef = new QboRef(l.Taxable ? "TAX" : "NON"),
                },
            })],
        };
    }

    /// <summary>
    /// A payment applied to QuickBooks invoice <paramref name="invoiceId"/>. A reference longer than QuickBooks takes
    /// goes as its first <see cref="MaxPaymentReference"/> characters, and whole in the payment's note.
    /// <paramref name="depositAccountId"/> null leaves the account to QuickBooks (Undeposited Funds).
    /// </summary>
    public static QboPayment Payment(Payment payment, string customerId, string invoiceId, string? paymentMethodId, string? depositAccountId)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return new QboPayment
        {
            CustomerRef = new QboRef(customerId),
            TotalAmt = payment.Amount,
            TxnDate = payment.Date,
            PaymentRefNum = payment.Reference is null ? null : ReferenceNumber(payment.Reference),
            PrivateNote = payment.Reference is { Length: > MaxPaymentReference } whole ? LongReferencePrefix + whole : null,
            PaymentMethodRef = paymentMethodId is null ? null : new QboRef(paymentMethodId),
            DepositToAccountRef = depositAccountId is null ? null : new QboRef(depositAccountId),
            Line = [new QboPaymentLine(payment.Amount, [new QboLinkedTxn(invoiceId, "Invoice")])],
        };
    }

    /// <summary>The reference as QuickBooks' reference number: its first 21 characters, never half of one.</summary>
    public static string ReferenceNumber(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Length <= MaxPaymentReference)
        {
            return reference;
        }

        var cut = char.IsHighSurrogate(reference[MaxPaymentReference - 1]) ? MaxPaymentReference - 1 : MaxPaymentReference;
        return reference[..cut];
    }
}

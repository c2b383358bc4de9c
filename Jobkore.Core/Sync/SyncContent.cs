using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Jobkore.Core.Domain;

namespace Jobkore.Core.Sync;

/// <summary>
/// The content hash of each syncable record (docs/design.md §4): it covers exactly the fields that are sent to QuickBooks,
/// so a change to any of them makes a synced record "Edited", and a change to anything else (an invoice's paid
/// status, a timestamp) does not. A void changes an invoice's hash.
/// </summary>
public static class SyncContent
{
    /// <summary>Raise when the fields below change meaning, so every record is compared afresh.</summary>
    private const string Version = "1";

    public static string Hash(Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var a = client.BillingAddress;
        return Of("client", client.DisplayName, client.CompanyName, client.Email, client.Phone, a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Country);
    }

    public static string Hash(CatalogItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Of("item", item.Name, item.Description, Money(item.UnitPrice), item.Taxable ? "T" : "N", item.Active ? "A" : "I");
    }

    /// <summary>Needs the invoice's lines loaded.</summary>
    public static string Hash(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        List<string?> fields =
        [
            "invoice", invoice.Number, Number(invoice.ClientId), Date(invoice.IssueDate), Date(invoice.DueDate), invoice.Memo, Money(invoice.Tax),
            Money(invoice.Total), invoice.Status == InvoiceStatus.Void ? "VOID" : "OPEN",
        ];
        foreach (var line in invoice.Lines.OrderBy(l => l.Position))
        {
            fields.AddRange([Number(line.Position), line.CatalogItemId is { } id ? Number(id) : "-", line.Description,
                line.Quantity.ToString("0.####", CultureInfo.InvariantCulture), Money(line.UnitPrice), line.Taxable ? "T" : "N", Money(line.Amount)]);
        }

        return Of([.. fields]);
    }

    public static string Hash(Payment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return Of("payment", Number(payment.InvoiceId), Money(payment.Amount), Date(payment.Date), payment.Method.ToString(), payment.Reference);
    }

    private static string Of(params string?[] fields)
    {
        var text = new StringBuilder(Version);
        foreach (var field in fields)
        {
            // Unit separator between fields and a marker for null, so ("a", "") and ("", "a") and null differ.
            text.Append('\u001f').Append(field is null ? "\u0000" : field);
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

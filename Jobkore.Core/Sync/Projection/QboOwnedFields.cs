using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobkore.Core.QuickBooks;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.SyncState;

namespace Jobkore.Core.Sync.Projection;

/// <summary>A field Jobkore owns that QuickBooks holds differently: its label, and both values as text (for tests and history, never logs).</summary>
public sealed record QboDifference(string Field, string? Jobkore, string? QuickBooks);

/// <summary>
/// The fields of each QuickBooks entity that Jobkore owns, and what is done with them: which QuickBooks holds
/// (<see cref="Held"/>), where QuickBooks differs from the projection (<see cref="Differences"/>), and the body of a
/// full update that writes them onto a record read just before, leaving every other field as QuickBooks has it
/// (<see cref="Overlay"/>). Values compare as QuickBooks keeps them: an empty string is no value, amounts by value,
/// references by id, lines in order.
/// </summary>
public static class QboOwnedFields
{
    private static readonly Dictionary<QboEntityKind, QboOwnedField[]> s_fields = new()
    {
        [QboEntityKind.Customer] =
        [
            new("name", "DisplayName"),
            new("active", "Active"),
            new("company name", "CompanyName", QboFieldSet.CompanyName),
            new("email", "PrimaryEmailAddr.Address", QboFieldSet.Email, "PrimaryEmailAddr"),
            new("phone", "PrimaryPhone.FreeFormNumber", QboFieldSet.Phone, "PrimaryPhone"),
            new("address line 1", "BillAddr.Line1", QboFieldSet.AddressLine1),
            new("address line 2", "BillAddr.Line2", QboFieldSet.AddressLine2),
            new("city", "BillAddr.City", QboFieldSet.City),
            new("state / region", "BillAddr.CountrySubDivisionCode", QboFieldSet.Region),
            new("postal code", "BillAddr.PostalCode", QboFieldSet.PostalCode),
            new("country", "BillAddr.Country", QboFieldSet.Country),
        ],
        [QboEntityKind.Item] =
        [
            new("name", "Name"),
            new("description", "Description", QboFieldSet.Description),
            new("unit price", "UnitPrice"),
            new("taxable", "Taxable"),
            new("active", "Active"),
        ],
        [QboEntityKind.Invoice] =
        [
            new("number", "DocNumber"),
            new("customer", "CustomerRef.value", OverlayPath: "CustomerRef"),
            new("date", "TxnDate"),
            new("due date", "DueDate"),
            new("memo", "CustomerMemo.value", QboFieldSet.Memo, "CustomerMemo"),
            new("private note", "PrivateNote"),
            new("tax", "TxnTaxDetail.TotalTax"),
            new("lines", "Line", Kind: QboFieldKind.InvoiceLines),
        ],
        [QboEntityKind.Payment] =
        [
            new("customer", "CustomerRef.value", OverlayPath: "CustomerRef"),
            new("amount", "TotalAmt"),
            new("date", "TxnDate"),
            new("reference", "PaymentRefNum", QboFieldSet.PaymentReference),
            new("payment method", "PaymentMethodRef.value", QboFieldSet.PaymentMethod, "PaymentMethodRef"),
            new(QboDepositAccounts.DepositAccountField, "DepositToAccountRef.value", OverlayPath: "DepositToAccountRef", Kind: QboFieldKind.DefaultedByQuickBooks),
            new("note", "PrivateNote", QboFieldSet.Note),
            new("applied to", "Line", Kind: QboFieldKind.PaymentLines),
        ],
    };

    /// <summary>The owned fields of <paramref name="entity"/> that Jobkore may leave empty.</summary>
    public static QboFieldSet Optional(QboEntityKind entity) => s_fields[entity].Aggregate(QboFieldSet.None, (set, field) => set | field.Optional);

    /// <summary>The labels of the owned fields in <paramref name="fields"/>, in order, for messages ("memo, email").</summary>
    public static string Describe(QboEntityKind entity, QboFieldSet fields) =>
        string.Join(", ", s_fields[entity].Where(f => f.Optional != QboFieldSet.None && fields.HasFlag(f.Optional)).Select(f => f.Label));

    /// <summary>Which of the optional owned fields hold a value in <paramref name="record"/> (QBO JSON).</summary>
    public static QboFieldSet Held(QboEntityKind entity, JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var held = QboFieldSet.None;
        foreach (var field in s_fields[entity].Where(f => f.Optional != QboFieldSet.None))
        {
            if (Text(At(record, field.Path)) is not null)
            {
                held |= field.Optional;
            }
        }

        return held;
    }

    /// <summary>The value of every owned field of <paramref name="record"/> (QBO JSON), as the comparisons below read them.</summary>
    public static QboOwnedValues Values(QboEntityKind entity, JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new QboOwnedValues([.. s_fields[entity].Select(field => new KeyValuePair<string, string?>(field.Label, field.Kind switch
        {
            QboFieldKind.InvoiceLines => InvoiceLines(record),
            QboFieldKind.PaymentLines => PaymentLines(record),
            _ => Text(At(record, field.Path)),
        }))]);
    }

    /// <summary>The owned fields where <paramref name="actual"/> (QuickBooks' record) differs from <paramref name="desired"/> (the projection).</summary>
    public static IReadOnlyList<QboDifference> Differences(QboEntityKind entity, JsonObject desired, JsonObject actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        var differences = new List<QboDifference>();
        foreach (var field in s_fields[entity])
        {
            var (mine, theirs) = field.Kind switch
            {
                QboFieldKind.InvoiceLines => (InvoiceLines(desired), InvoiceLines(actual)),
                QboFieldKind.PaymentLines => (PaymentLines(desired), PaymentLines(actual)),
                _ => (Text(At(desired, field.Path)), Text(At(actual, field.Path))),
            };
            if (field.Kind == QboFieldKind.DefaultedByQuickBooks && mine is null)
            {
                continue;
            }

            if (!string.Equals(mine, theirs, StringComparison.Ordinal))
            {
                differences.Add(new QboDifference(field.Label, mine, theirs));
            }
        }

        return differences;
    }

    /// <summary>
    /// The body of a full update: <paramref name="current"/> as QuickBooks returned it, with every owned field set
    /// from <paramref name="desired"/> or removed when the projection has no value for it — except fields QuickBooks
    /// fills itself when none is sent (the deposit account), which stay. Everything else is sent back unchanged.
    /// </summary>
    public static JsonObject Overlay(QboEntityKind entity, JsonObject current, JsonObject desired)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        var body = (JsonObject)current.DeepClone();
        foreach (var field in s_fields[entity])
        {
            var path = field.OverlayPath ?? field.Path;
            var value = At(desired, path);
            if (value is not null)
            {
                Set(body, path, value.DeepClone());
            }
            else if (field.Kind != QboFieldKind.DefaultedByQuickBooks)
            {
                Remove(body, path);
            }
        }

        body.Remove("sparse");
        return body;
    }

    /// <summary>An entity as QBO JSON, the way it is sent (nulls left out).</summary>
    public static JsonObject ToJson<T>(T entity)
        where T : class => JsonSerializer.SerializeToNode(entity, entity.GetType(), QboJson.Options) as JsonObject ?? [];

    /// <summary>True when <paramref name="record"/> is a voided invoice or payment: nothing owed, and "Voided" in its private note (docs/quickbooks-api.md §2).</summary>
    public static bool IsVoided(JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Text(At(record, "TotalAmt")) == "0" && Text(At(record, "PrivateNote"))?.StartsWith("Voided", StringComparison.Ordinal) == true;
    }

    private static JsonNode? At(JsonObject record, string path)
    {
        JsonNode? node = record;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node;
    }

    private static void Set(JsonObject record, string path, JsonNode value)
    {
        var parts = path.Split('.');
        var parent = record;
        foreach (var part in parts[..^1])
        {
            if (parent[part] is not JsonObject child)
            {
                parent[part] = child = [];
            }

            parent = child;
        }

        parent[parts[^1]] = value;
    }

    private static void Remove(JsonObject record, string path)
    {
        var parts = path.Split('.');
        JsonNode? parent = record;
        foreach (var part in parts[..^1])
        {
            parent = parent is JsonObject o ? o[part] : null;
        }

        (parent as JsonObject)?.Remove(parts[^1]);
    }

    /// <summary>A scalar as comparable text: null for no value or an empty string; numbers without trailing zeros.</summary>
    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<decimal>().ToString("0.############", CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is { Length: > 0 } s ? s : null,
        _ => null,
    };

    /// <summary>The sales lines in order, each as description | amount | item | quantity | unit price | tax code (subtotal lines are QuickBooks' own).</summary>
    private static string InvoiceLines(JsonObject invoice) => string.Join("\n",
        (At(invoice, "Line") as JsonArray ?? []).OfType<JsonObject>().Where(l => Text(l["DetailType"]) == "SalesItemLineDetail").Select(l => string.Join(" | ",
            Text(l["Description"]), Text(l["Amount"]), Text(At(l, "SalesItemLineDetail.ItemRef.value")), Text(At(l, "SalesItemLineDetail.Qty")),
            Text(At(l, "SalesItemLineDetail.UnitPrice")), Text(At(l, "SalesItemLineDetail.TaxCodeRef.value")))));

    /// <summary>What the payment is applied to: amount → transactions, in order.</summary>
    private static string PaymentLines(JsonObject payment) => string.Join("\n",
        (At(payment, "Line") as JsonArray ?? []).OfType<JsonObject>().Select(l => Text(l["Amount"]) + " → "
            + string.Join(", ", (l["LinkedTxn"] as JsonArray ?? []).OfType<JsonObject>().Select(t => $"{Text(t["TxnType"])} {Text(t["TxnId"])}"))));

    private enum QboFieldKind
    {
        Value,
        InvoiceLines,
        PaymentLines,

        /// <summary>QuickBooks fills it when none is sent (the deposit account: Undeposited Funds), so no value is no difference.</summary>
        DefaultedByQuickBooks,
    }

    /// <param name="Label">How messages name it.</param>
    /// <param name="Path">Where its value is ("BillAddr.City").</param>
    /// <param name="Optional">Its flag when Jobkore may leave it empty.</param>
    /// <param name="OverlayPath">What a full update sets or removes, when not the value itself ("PrimaryEmailAddr" for "PrimaryEmailAddr.Address").</param>
    /// <param name="Kind">How it compares.</param>
    private sealed record QboOwnedField(string Label, string Path, QboFieldSet Optional = QboFieldSet.None, string? OverlayPath = null, QboFieldKind Kind = QboFieldKind.Value);
}

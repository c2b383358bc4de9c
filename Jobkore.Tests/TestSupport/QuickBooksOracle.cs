using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Settings;
using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Projection;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.TestSupport;

/// <summary>
/// The bookkeeper's question, asked of every record Jobkore shows as up to date: does QuickBooks hold exactly what
/// Jobkore would send now (docs/design.md §4 invariant 7)? The engine's own projection says what that is; this compares it
/// with the sandbox's record field by field — every value the projection sends must be there, equal, and every field
/// Jobkore owns and leaves empty must be empty there — on its own terms, not with the engine's comparer.
/// </summary>
internal static class QuickBooksOracle
{
    private static readonly string[] s_entities = ["Customer", "Item", "Invoice", "Payment", "PaymentMethod", "Account"];

    /// <summary>The optional fields Jobkore owns: when the projection has no value for one, QuickBooks must have none either.</summary>
    private static readonly Dictionary<string, string[]> s_emptiedWhenAbsent = new()
    {
        ["Customer"] = ["CompanyName", "PrimaryEmailAddr.Address", "PrimaryPhone.FreeFormNumber", "BillAddr.Line1", "BillAddr.Line2", "BillAddr.City",
            "BillAddr.CountrySubDivisionCode", "BillAddr.PostalCode", "BillAddr.Country"],
        ["Item"] = ["Description"],
        ["Invoice"] = ["CustomerMemo.value"],
        ["Payment"] = ["PaymentRefNum", "PaymentMethodRef.value", "PrivateNote"],
    };

    /// <summary>Every difference between what the demo business shows as up to date and what <paramref name="realmId"/> holds, as sentences; empty when none.</summary>
    public static Task<IReadOnlyList<string>> MismatchesAsync(QuickBooksApp app, string realmId, CancellationToken cancellationToken) =>
        MismatchesAsync(app, realmId, businessId: null, cancellationToken);

    /// <summary>Every difference between what <paramref name="businessId"/> (the demo business when null) shows as up to date and what <paramref name="realmId"/> holds.</summary>
    public static Task<IReadOnlyList<string>> MismatchesAsync(QuickBooksApp app, string realmId, int? businessId, CancellationToken cancellationToken) =>
        MismatchesAsync(app, realmId, businessId, depositAccountsWhenSent: null, cancellationToken);

    /// <summary>
    /// As above; <paramref name="depositAccountsWhenSent"/> names, by payment id, the account a payment's method's rule
    /// (or the default) named when it was sent, for payments sent before the deposit settings changed. The others are
    /// compared with what the settings name now.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MismatchesAsync(QuickBooksApp app, string realmId, int? businessId,
        IReadOnlyDictionary<int, string>? depositAccountsWhenSent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var scope = app.SignedInScope(businessId: businessId);
        return await MismatchesAsync(scope.ServiceProvider, await app.SandboxAsync(realmId), realmId, depositAccountsWhenSent, cancellationToken);
    }

    /// <summary>
    /// Every difference between what the business of <paramref name="services"/> (a scope working in it) shows as up to date
    /// and <paramref name="company"/>, the sandbox's records of <paramref name="realmId"/>.
    /// </summary>
    public static Task<IReadOnlyList<string>> MismatchesAsync(IServiceProvider services, JsonObject company, string realmId, CancellationToken cancellationToken) =>
        MismatchesAsync(services, company, realmId, depositAccountsWhenSent: null, cancellationToken);

    /// <summary>
    /// Every difference between what the business of <paramref name="services"/> (a scope working in it) shows as up to date
    /// and <paramref name="company"/>, the sandbox's records of <paramref name="realmId"/>. A payment's deposit account is
    /// the one <paramref name="depositAccountsWhenSent"/> names for it, else its method's rule, else the default deposit
    /// account, else Undeposited Funds.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MismatchesAsync(IServiceProvider services, JsonObject company, string realmId,
        IReadOnlyDictionary<int, string>? depositAccountsWhenSent, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(cancellationToken);
        var settings = await services.GetRequiredService<QuickBooksSettingsService>().GetAsync(realmId, cancellationToken);
        var rows = s_entities.ToDictionary(e => e, e => QuickBooksApp.Rows(company, e).ToDictionary(r => (string)r["Id"]!));
        var records = await db.SyncRecords.AsNoTracking().Where(r => r.RealmId == realmId).ToDictionaryAsync(r => (r.EntityType, r.EntityId), cancellationToken);
        var methods = rows["PaymentMethod"].Values.ToDictionary(m => (string)m["Name"]!, m => (string)m["Id"]!, StringComparer.OrdinalIgnoreCase);
        var undeposited = rows["Account"].Values.Single(a => (string?)a["AccountSubType"] == "UndepositedFunds");
        string QboIdOf(SyncEntityType type, int id) => records[(type, id)].QboId!;

        var mismatches = new List<string>();
        void Check(string label, string entity, SyncRecord record, object desired, Action<JsonObject>? more = null)
        {
            if (record.QboId is null || !rows[entity].TryGetValue(record.QboId, out var row))
            {
                mismatches.Add($"{label} is shown up to date but QuickBooks has no {entity} {record.QboId}");
                return;
            }

            var expected = QboOwnedFields.ToJson(desired);
            mismatches.AddRange(Compare(expected, row, string.Empty).Select(m => $"{label} ({entity} {record.QboId}): {m}"));
            foreach (var path in s_emptiedWhenAbsent[entity].Where(p => Text(At(expected, p)) is null && Text(At(row, p)) is not null))
            {
                mismatches.Add($"{label} ({entity} {record.QboId}): {path} is empty in Jobkore but '{Text(At(row, path))}' in QuickBooks");
            }

            more?.Invoke(row);
        }

        // Payments removed in Jobkore that QuickBooks holds (not voided yet): their invoices are not up to date until they are.
        var payments = await db.Payments.AsNoTracking().Include(p => p.Invoice).ToListAsync(cancellationToken);
        var paymentIds = payments.Select(p => p.Id).ToHashSet();
        var removedPayments = records.Values.Where(r => r is { EntityType: SyncEntityType.Payment, PaidInvoiceId: not null, QboId: not null } && !paymentIds.Contains(r.EntityId))
            .GroupBy(r => r.PaidInvoiceId!.Value).ToDictionary(g => g.Key, g => g.First());

        bool UpToDate(SyncEntityType type, int id, string hash, bool neverNeedsSending = false) =>
            SyncStatuses.Derive(records.GetValueOrDefault((type, id)), hash, neverNeedsSending,
                removedPayment: type == SyncEntityType.Invoice ? removedPayments.GetValueOrDefault(id) : null) == SyncStatus.UpToDate;

        foreach (var client in await db.Clients.AsNoTracking().ToListAsync(cancellationToken))
        {
            if (UpToDate(SyncEntityType.Client, client.Id, SyncContent.Hash(client)))
            {
                Check($"client '{client.DisplayName}'", "Customer", records[(SyncEntityType.Client, client.Id)], QboProjection.Customer(client));
            }
        }

        foreach (var item in await db.CatalogItems.AsNoTracking().ToListAsync(cancellationToken))
        {
            if (UpToDate(SyncEntityType.CatalogItem, item.Id, SyncContent.Hash(item)))
            {
                Check($"catalog item '{item.Name}'", "Item", records[(SyncEntityType.CatalogItem, item.Id)], QboProjection.Item(item));
            }
        }

        var liveNumbers = rows["Invoice"].Values.Where(i => !QboOwnedFields.IsVoided(i)).Select(i => (string)i["DocNumber"]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var invoice in await db.Invoices.AsNoTracking().Include(i => i.Lines).Include(i => i.Client).AsSplitQuery().ToListAsync(cancellationToken))
        {
            var voidedDraft = invoice.Status == InvoiceStatus.Void && invoice.SentAt == null;
            if (invoice.Status == InvoiceStatus.Draft || !UpToDate(SyncEntityType.Invoice, invoice.Id, SyncContent.Hash(invoice), voidedDraft))
            {
                continue;
            }

            var label = $"invoice {invoice.Number} ({invoice.Status})";
            var record = records.GetValueOrDefault((SyncEntityType.Invoice, invoice.Id));
            if (invoice.Status == InvoiceStatus.Void)
            {
                if (record?.QboId is { } qboId)
                {
                    if (!rows["Invoice"].TryGetValue(qboId, out var row) || !QboOwnedFields.IsVoided(row))
                    {
                        mismatches.Add($"{label} is shown up to date but QuickBooks' invoice {qboId} is not void: {row?.ToJsonString()}");
                    }
                }
                else if (!voidedDraft && liveNumbers.Contains(invoice.Number))
                {
                    mismatches.Add($"{label} is shown as needing nothing, but QuickBooks has a live invoice numbered {invoice.Number}");
                }

                continue;
            }

            var desired = QboProjection.Invoice(invoice, QboIdOf(SyncEntityType.Client, invoice.ClientId), itemId => QboIdOf(SyncEntityType.CatalogItem, itemId));
            Check(label, "Invoice", record!, desired, row =>
            {
                if (Number(row["TotalAmt"]) != invoice.Total)
                {
                    mismatches.Add($"{label}: total {invoice.Total} in Jobkore, {row["TotalAmt"]} in QuickBooks");
                }

                // What the bookkeeper sees owed: once its payments are up to date too, QuickBooks' balance is Jobkore's.
                var itsPayments = payments.Where(p => p.InvoiceId == invoice.Id).ToList();
                if (itsPayments.All(p => UpToDate(SyncEntityType.Payment, p.Id, SyncContent.Hash(p))) && Number(row["Balance"]) != invoice.Total - itsPayments.Sum(p => p.Amount))
                {
                    mismatches.Add($"{label}: balance {invoice.Total - itsPayments.Sum(p => p.Amount)} in Jobkore, {row["Balance"]} in QuickBooks");
                }
            });
        }

        foreach (var payment in payments)
        {
            if (!UpToDate(SyncEntityType.Payment, payment.Id, SyncContent.Hash(payment)))
            {
                continue;
            }

            var desired = QboProjection.Payment(payment, QboIdOf(SyncEntityType.Client, payment.Invoice!.ClientId), QboIdOf(SyncEntityType.Invoice, payment.InvoiceId),
                QboPaymentMethods.IdOf(payment.Method, methods),
                depositAccountsWhenSent?.GetValueOrDefault(payment.Id) ?? (settings.DepositRules.GetValueOrDefault(payment.Method) ?? settings.DepositAccount)?.Id);
            var label = string.Create(CultureInfo.InvariantCulture, $"payment {payment.Id} of {payment.Amount:0.00} on invoice {payment.Invoice.Number}");
            Check(label, "Payment", records[(SyncEntityType.Payment, payment.Id)], desired, row =>
            {
                if (desired.DepositToAccountRef is null && Text(At(row, "DepositToAccountRef.value")) != (string)undeposited["Id"]!)
                {
                    mismatches.Add($"{label}: deposited to {At(row, "DepositToAccountRef")?.ToJsonString()}, not Undeposited Funds");
                }
            });
        }

        return mismatches;
    }

    /// <summary>Every value of <paramref name="expected"/> must be in <paramref name="actual"/>, equal; lines in order (QuickBooks' subtotal lines aside).</summary>
    private static IEnumerable<string> Compare(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    foreach (var mismatch in Compare(value, (actual as JsonObject)?[key], path.Length == 0 ? key : $"{path}.{key}"))
                    {
                        yield return mismatch;
                    }
                }

                break;
            case JsonArray a:
                var theirs = (actual as JsonArray ?? []).Where(n => (string?)n?["DetailType"] != "SubTotalLineDetail").ToList();
                if (theirs.Count != a.Count)
                {
                    yield return $"{path} has {a.Count} in Jobkore, {theirs.Count} in QuickBooks: {actual?.ToJsonString()}";
                    yield break;
                }

                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var mismatch in Compare(a[i], theirs[i], $"{path}[{i}]"))
                    {
                        yield return mismatch;
                    }
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                if (Number(v) != Number(actual))
                {
                    yield return $"{path} is {v} in Jobkore, {actual?.ToJsonString() ?? "missing"} in QuickBooks";
                }

                break;
            case JsonValue v:
                if (v.ToJsonString() != actual?.ToJsonString())
                {
                    yield return $"{path} is {v.ToJsonString()} in Jobkore, {actual?.ToJsonString() ?? "missing"} in QuickBooks";
                }

                break;
        }
    }

    private static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = (node as JsonObject)?[part];
        }

        return node;
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.ToString() is { Length: > 0 } text ? text : null;

    private static decimal? Number(JsonNode? node) =>
        node is JsonValue v && decimal.TryParse(v.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
}

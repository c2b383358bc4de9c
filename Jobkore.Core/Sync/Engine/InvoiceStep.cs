using System.Globalization;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.Sync.Projection;
using Jobkore.Core.SyncState;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// Invoices: an invoice not linked yet is linked to QuickBooks' invoice of the same number when it is the same invoice
/// (same customer and total) and updated if anything else differs, otherwise created; a linked one is updated. A void
/// voids the linked invoice — or, for one never linked, QuickBooks' invoice of its number if it is this one (links
/// cleared earlier) — and records that nothing was needed when QuickBooks has none. A QuickBooks invoice already
/// linked to another Jobkore invoice (one renumbered, whose new number has not reached QuickBooks yet) is never taken.
/// </summary>
internal sealed class InvoiceStep(SyncStepContext run)
{
    /// <summary>Names of the catalog items the run's pages sent so far, for the message of an invoice whose item failed.</summary>
    private readonly Dictionary<int, string> _itemNames = [];

    /// <summary>QuickBooks invoices this run linked a Jobkore invoice to, whatever became of the link's write.</summary>
    private readonly HashSet<string> _claimedInRun = new(StringComparer.Ordinal);

    /// <summary>QuickBooks invoices linked to a Jobkore invoice, or claimed by one in this run: never taken by another.</summary>
    private HashSet<string> _linked = [];

    /// <summary>The writes that bring a page's invoices to QuickBooks, once its clients and items are there; links and checks are recorded at once.</summary>
    public async Task<List<SyncWrite>> WritesAsync(SyncPage page, ILookup<string, QboInvoice> existing)
    {
        foreach (var item in page.Items)
        {
            _itemNames[item.Id] = QboNames.ItemName(item.Name);
        }

        var writes = new List<SyncWrite>();
        _linked = [.. run.Recorder.Records.Where(r => r.EntityType == SyncEntityType.Invoice && r.QboId != null).Select(r => r.QboId!), .. _claimedInRun];
        foreach (var invoice in page.Invoices)
        {
            var write = invoice.Status == InvoiceStatus.Void ? await VoidAsync(invoice, existing[invoice.Number]) : await CreateOrUpdateAsync(invoice, existing[invoice.Number]);
            if (write is not null)
            {
                writes.Add(write);
            }
        }

        return writes;
    }

    private async Task<SyncWrite?> CreateOrUpdateAsync(Invoice invoice, IEnumerable<QboInvoice> numbered)
    {
        var what = Subject(invoice);
        var record = run.Recorder.RecordFor(SyncEntityType.Invoice, invoice.Id);
        var hash = SyncContent.Hash(invoice);
        if (DependencyFailure(invoice) is { } dependency)
        {
            await run.Recorder.FailAsync(record, $"{what.AtStart} was not sent because {dependency} could not be sent. Fix that first; this invoice follows on the next sync.",
                SyncErrorMessages.WaitsForAnotherCode);
            return null;
        }

        var desired = QboProjection.Invoice(invoice, run.Recorder.QboIdOf(SyncEntityType.Client, invoice.ClientId)!,
            itemId => run.Recorder.QboIdOf(SyncEntityType.CatalogItem, itemId)!);
        if (record.QboId is not null)
        {
            return SyncWrites.Update(record, hash, what, QboEntityKind.Invoice, desired, invoice.Total);
        }

        var candidates = numbered.ToList();
        if (candidates.Count == 0)
        {
            return SyncWrites.Create(record, hash, what, QboEntityKind.Invoice, desired, invoice.Total);
        }

        var free = candidates.Where(c => !_linked.Contains(c.Id!)).ToList();
        var found = free.FirstOrDefault(c => c.CustomerRef?.Value == desired.CustomerRef!.Value && c.TotalAmt == invoice.Total && !IsVoided(c));
        if (found is null)
        {
            await run.Recorder.FailAsync(record, free.Count == 0
                ? $"QuickBooks' invoice numbered {invoice.Number} is still another Jobkore invoice's (its new number has not reached QuickBooks yet). This one follows on the next sync."
                : $"QuickBooks already has an invoice numbered {invoice.Number}{(free[0].CustomerRef?.Name is { } other ? $" for {other}" : string.Empty)} "
                    + $"of {free[0].TotalAmt?.ToString("0.00", CultureInfo.InvariantCulture)}, which is not this invoice. Change the number in Jobkore, then retry.", "6140");
            return null;
        }

        Claim(found.Id!);
        var update = SyncWrites.AfterLink(record, hash, what, QboEntityKind.Invoice, desired, found, invoice.Total);
        if (update is null)
        {
            await run.Recorder.LinkAsync(record, QboEntityKind.Invoice, found, hash, SyncWrites.Held(QboEntityKind.Invoice, desired),
                "Linked to the invoice of the same number, customer and total in QuickBooks, which holds the same.");
        }

        return update;
    }

    private async Task<SyncWrite?> VoidAsync(Invoice invoice, IEnumerable<QboInvoice> numbered)
    {
        var what = Subject(invoice);
        var record = run.Recorder.RecordFor(SyncEntityType.Invoice, invoice.Id);
        var hash = SyncContent.Hash(invoice);
        if (record.QboId is { } qboId)
        {
            return SyncWrites.Void(record, hash, what, QboEntityKind.Invoice, qboId, record.QboSyncToken);
        }

        var found = numbered.Where(c => !_linked.Contains(c.Id!) && IsThisInvoice(invoice, c)).OrderBy(IsVoided).FirstOrDefault();
        if (found is null)
        {
            await run.Recorder.NothingToSendAsync(record, hash, "Void", "Voided before it reached QuickBooks, which has no invoice of its number: nothing was sent.");
            return null;
        }

        Claim(found.Id!);
        if (IsVoided(found))
        {
            await run.Recorder.LinkAsync(record, QboEntityKind.Invoice, found, hash, QboFieldSet.None, "Linked to the invoice of the same number in QuickBooks, already void there.");
            return null;
        }

        return SyncWrites.Void(record, hash, what, QboEntityKind.Invoice, found.Id!, found.SyncToken, note: "Linked to the invoice of the same number, customer and total in QuickBooks.");
    }

    private void Claim(string qboId)
    {
        _linked.Add(qboId);
        _claimedInRun.Add(qboId);
    }

    /// <summary>QuickBooks' invoice of this number is this one: same customer (by link, else by name) and total.</summary>
    private bool IsThisInvoice(Invoice invoice, QboInvoice found) =>
        found.TotalAmt == invoice.Total
        && (run.Recorder.QboIdOf(SyncEntityType.Client, invoice.ClientId) is { } customerId
            ? found.CustomerRef?.Value == customerId
            : string.Equals(found.CustomerRef?.Name, QboNames.DisplayName(invoice.Client!.DisplayName), StringComparison.OrdinalIgnoreCase));

    private static bool IsVoided(QboInvoice invoice) => QboOwnedFields.IsVoided(QboOwnedFields.ToJson(invoice));

    private string? DependencyFailure(Invoice invoice)
    {
        if (run.Recorder.QboIdOf(SyncEntityType.Client, invoice.ClientId) is null || run.Recorder.InDoubt(SyncEntityType.Client, invoice.ClientId))
        {
            return $"its client '{QboNames.DisplayName(invoice.Client!.DisplayName)}'";
        }

        var missing = invoice.Lines.FirstOrDefault(l => l.CatalogItemId is { } id && (run.Recorder.QboIdOf(SyncEntityType.CatalogItem, id) is null
            || run.Recorder.InDoubt(SyncEntityType.CatalogItem, id)));
        var name = missing?.CatalogItemId is { } itemId && _itemNames.TryGetValue(itemId, out var itemName) ? itemName : missing?.Description;
        return missing is null ? null : $"its catalog item '{name}'";
    }

    private static SyncSubject Subject(Invoice invoice) => new("invoice", null, $"invoice {invoice.Number}");
}

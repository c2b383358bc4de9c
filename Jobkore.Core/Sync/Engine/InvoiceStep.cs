using System.Globalization;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Mappings;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.Sync.Projection;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// Invoices: an invoice not linked yet is linked to QuickBooks' invoice of the same number when it is the same invoice
/// (same customer and total) and updated if anything else differs, otherwise created; a linked one is updated. A void
/// voids the linked invoice — or, for one never linked, QuickBooks' invoice of its number if it is this one (links
/// cleared earlier) — and records that nothing was needed when QuickBooks has none.
/// </summary>
internal sealed class InvoiceStep(SyncStepContext run)
{
    private IReadOnlyList<CatalogItem> _items = [];

    public async Task PushAsync(SyncPlan plan, Task<Dictionary<string, QboInvoice>> lookUp, CancellationToken cancellationToken)
    {
        var existing = await lookUp;
        var writes = new List<SyncWrite>();
        _items = plan.Items;
        foreach (var invoice in plan.Invoices)
        {
            var write = invoice.Status == InvoiceStatus.Void
                ? await VoidAsync(invoice, existing.GetValueOrDefault(invoice.Number))
                : await CreateOrUpdateAsync(invoice, existing.GetValueOrDefault(invoice.Number));
            if (write is not null)
            {
                writes.Add(write);
            }
        }

        await run.Dispatcher.FlushAsync(writes, cancellationToken);
    }

    private async Task<SyncWrite?> CreateOrUpdateAsync(Invoice invoice, QboInvoice? found)
    {
        var what = Subject(invoice);
        var record = run.Recorder.RecordFor(SyncEntityType.Invoice, invoice.Id);
        var hash = SyncContent.Hash(invoice);
        if (DependencyFailure(invoice) is { } dependency)
        {
            await run.Recorder.FailAsync(record, $"{what.AtStart} was not sent because {dependency} could not be sent. Fix that first; this invoice follows on the next sync.");
            return null;
        }

        var desired = QboProjection.Invoice(invoice, run.Recorder.QboIdOf(SyncEntityType.Client, invoice.ClientId)!,
            itemId => run.Recorder.QboIdOf(SyncEntityType.CatalogItem, itemId)!);
        if (record.QboId is not null)
        {
            return SyncWrites.Update(record, hash, what, QboEntityKind.Invoice, desired, invoice.Total);
        }

        if (found is null)
        {
            return SyncWrites.Create(record, hash, what, QboEntityKind.Invoice, desired, invoice.Total);
        }

        if (found.CustomerRef?.Value != desired.CustomerRef!.Value || found.TotalAmt != invoice.Total || QboOwnedFields.IsVoided(QboOwnedFields.ToJson(found)))
        {
            await run.Recorder.FailAsync(record, $"QuickBooks already has an invoice numbered {invoice.Number}{(found.CustomerRef?.Name is { } other ? $" for {other}" : string.Empty)} "
                + $"of {found.TotalAmt?.ToString("0.00", CultureInfo.InvariantCulture)}, which is not this invoice. Change the number in Jobkore, then retry.", "6140");
            return null;
        }

        var update = SyncWrites.AfterLink(record, hash, what, QboEntityKind.Invoice, desired, found, invoice.Total);
        if (update is null)
        {
            await run.Recorder.LinkAsync(record, found.Id!, found.SyncToken ?? "0", hash, SyncWrites.Held(QboEntityKind.Invoice, desired),
                "Linked to the invoice of the same number, customer and total in QuickBooks, which holds the same.");
        }

        return update;
    }

    private async Task<SyncWrite?> VoidAsync(Invoice invoice, QboInvoice? found)
    {
        var what = Subject(invoice);
        var record = run.Recorder.RecordFor(SyncEntityType.Invoice, invoice.Id);
        var hash = SyncContent.Hash(invoice);
        if (record.QboId is { } qboId)
        {
            return SyncWrites.Void(record, hash, what, QboEntityKind.Invoice, qboId, record.QboSyncToken);
        }

        if (found is null || !IsThisInvoice(invoice, found))
        {
            await run.Recorder.NothingToSendAsync(record, hash, "Void", "Voided before it reached QuickBooks, which has no invoice of its number: nothing was sent.");
            return null;
        }

        if (QboOwnedFields.IsVoided(QboOwnedFields.ToJson(found)))
        {
            await run.Recorder.LinkAsync(record, found.Id!, found.SyncToken ?? "0", hash, QboFieldSet.None, "Linked to the invoice of the same number in QuickBooks, already void there.");
            return null;
        }

        return SyncWrites.Void(record, hash, what, QboEntityKind.Invoice, found.Id!, found.SyncToken, note: "Linked to the invoice of the same number, customer and total in QuickBooks.");
    }

    /// <summary>QuickBooks' invoice of this number is this one: same customer (by link, else by name) and total.</summary>
    private bool IsThisInvoice(Invoice invoice, QboInvoice found) =>
        found.TotalAmt == invoice.Total
        && (run.Recorder.QboIdOf(SyncEntityType.Client, invoice.ClientId) is { } customerId
            ? found.CustomerRef?.Value == customerId
            : string.Equals(found.CustomerRef?.Name, QboNames.DisplayName(invoice.Client!.DisplayName), StringComparison.OrdinalIgnoreCase));

    private string? DependencyFailure(Invoice invoice)
    {
        if (run.Recorder.QboIdOf(SyncEntityType.Client, invoice.ClientId) is null || run.Recorder.InDoubt(SyncEntityType.Client, invoice.ClientId))
        {
            return $"its client '{QboNames.DisplayName(invoice.Client!.DisplayName)}'";
        }

        var missing = invoice.Lines.FirstOrDefault(l => l.CatalogItemId is { } id && (run.Recorder.QboIdOf(SyncEntityType.CatalogItem, id) is null
            || run.Recorder.InDoubt(SyncEntityType.CatalogItem, id)));
        var name = _items.FirstOrDefault(i => i.Id == missing?.CatalogItemId) is { } item ? QboNames.ItemName(item.Name) : missing?.Description;
        return missing is null ? null : $"its catalog item '{name}'";
    }

    private static SyncSubject Subject(Invoice invoice) => new("invoice", null, $"invoice {invoice.Number}");
}

using System.Globalization;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.Sync.Projection;
using Jobkore.Core.SyncState;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// Payments: each is applied to its invoice, deposited to the account <see cref="QboDepositAccounts"/> chooses,
/// with its method and reference; one not linked yet is linked to a QuickBooks payment of the same invoice, amount and
/// date that no other Jobkore payment has (payments carry no number), and updated if it differs. A payment deleted in
/// Jobkore is voided in QuickBooks — before any invoice, since QuickBooks refuses to void an invoice a payment is
/// still applied to.
/// </summary>
internal sealed class PaymentStep(SyncStepContext run)
{
    /// <summary>QuickBooks payments this run linked a Jobkore payment to, whatever became of the link's write.</summary>
    private readonly HashSet<string> _claimedInRun = new(StringComparer.Ordinal);

    /// <summary>The voids of payments deleted in Jobkore that QuickBooks holds.</summary>
    public static List<SyncWrite> VoidsOfDeleted(IReadOnlyList<RemovedPayment> deleted) =>
        [.. deleted.Select(removed => SyncWrites.Void(removed.Record, removed.Record.PushedHash ?? string.Empty, removed.Subject,
            QboEntityKind.Payment, removed.Record.QboId!, removed.Record.QboSyncToken, removeOnSuccess: true))];

    /// <summary>The writes that bring a page's payments to QuickBooks, once its invoices are there; links and checks are recorded at once.</summary>
    public async Task<List<SyncWrite>> WritesAsync(SyncPage page, CancellationToken cancellationToken)
    {
        var payments = page.Payments;
        if (payments.Count == 0)
        {
            return [];
        }

        var recorder = run.Recorder;
        var invoices = page.PaidInvoices;
        var methods = await run.Lookups.PaymentMethodsAsync(cancellationToken);

        // After links were cleared, a payment may already be in QuickBooks: look among its customer's payments.
        var unmappedCustomers = payments.Where(p => recorder.QboIdOf(SyncEntityType.Payment, p.Id) is null)
            .Select(p => recorder.QboIdOf(SyncEntityType.Client, invoices[p.InvoiceId].ClientId)).OfType<string>().Distinct().Where(c => !recorder.IsNewCustomer(c)).ToList();
        var candidates = await run.Lookups.AllAsync("Payment", "CustomerRef", unmappedCustomers, r => r.Payment, cancellationToken);
        HashSet<string> claimed = [.. recorder.Records.Where(r => r.EntityType == SyncEntityType.Payment && r.QboId != null).Select(r => r.QboId!), .. _claimedInRun];
        var writes = new List<SyncWrite>();
        foreach (var payment in payments)
        {
            var invoice = invoices[payment.InvoiceId];
            var what = new SyncSubject("payment", null, string.Create(CultureInfo.InvariantCulture, $"the payment of {payment.Amount:0.00} on invoice {invoice.Number}"));
            var record = recorder.RecordFor(SyncEntityType.Payment, payment.Id);
            await recorder.PaysAsync(record, payment.InvoiceId);
            var hash = SyncContent.Hash(payment);
            var invoiceQboId = recorder.QboIdOf(SyncEntityType.Invoice, payment.InvoiceId);
            var customerId = recorder.QboIdOf(SyncEntityType.Client, invoice.ClientId);
            if (invoiceQboId is null || customerId is null || recorder.Existing(SyncEntityType.Invoice, payment.InvoiceId) is { Failed: true }
                || recorder.InDoubt(SyncEntityType.Invoice, payment.InvoiceId))
            {
                await recorder.FailAsync(record, $"{what.AtStart} was not sent because invoice {invoice.Number} is not in QuickBooks yet. Fix the invoice first; the payment follows.",
                    SyncErrorMessages.WaitsForAnotherCode);
                continue;
            }

            var depositAccountId = QboDepositAccounts.IdFor(run.Settings, payment.Method, record.QboId is null ? null : QboDepositAccounts.HeldIn(record.QboFields));
            var desired = QboProjection.Payment(payment, customerId, invoiceQboId, QboPaymentMethods.IdOf(payment.Method, methods), depositAccountId);
            if (record.QboId is not null)
            {
                writes.Add(SyncWrites.Update(record, hash, what, QboEntityKind.Payment, desired));
                continue;
            }

            var match = candidates.FirstOrDefault(c => c.Id is not null && !claimed.Contains(c.Id) && c.TotalAmt == payment.Amount && c.TxnDate == payment.Date
                && c.Line?.Any(l => l.LinkedTxn.Any(t => t.TxnId == invoiceQboId && t.TxnType == "Invoice")) == true);
            if (match is null)
            {
                writes.Add(SyncWrites.Create(record, hash, what, QboEntityKind.Payment, desired));
                continue;
            }

            claimed.Add(match.Id!);
            _claimedInRun.Add(match.Id!);
            if (SyncWrites.AfterLink(record, hash, what, QboEntityKind.Payment, desired, match) is { } update)
            {
                writes.Add(update);
            }
            else
            {
                await recorder.LinkAsync(record, QboEntityKind.Payment, match, hash, SyncWrites.Held(QboEntityKind.Payment, desired),
                    "Linked to the payment of the same invoice, amount and date in QuickBooks, which holds the same.");
            }
        }

        return writes;
    }
}

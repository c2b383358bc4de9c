using Jobkore.Core.Data;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// One run, in its order: first every request an earlier run left in doubt is resent from the journal; then what
/// waits is listed (<see cref="SyncBacklog"/>, ids only), payments deleted in Jobkore are voided in QuickBooks, and
/// the backlog goes page by page (<see cref="SyncPages"/>), so a run's memory does not grow with its backlog. Each
/// page passes three steps — its catalog items and clients, then its invoices, then its payments — and one request
/// wave carries the names of a page, the invoices of the page before and the payments of the one before that: every
/// write goes after what it needs, and the lanes rarely wait for a wave's last answer. The next page is loaded, and
/// QuickBooks asked what it already has of it, while a wave is sent. One record's failure never stops the others; a
/// record whose dependency failed says which.
/// </summary>
internal sealed class SyncRun(SyncStepContext context, JobkoreDbContext reads, int pageSize)
{
    public async Task RunAsync(IReadOnlyCollection<int>? onlyInvoiceIds, CancellationToken cancellationToken)
    {
        var recorder = context.Recorder;
        var dispatcher = context.Dispatcher;
        await recorder.LoadAsync(cancellationToken);
        await dispatcher.ResendJournalAsync(cancellationToken);
        var backlog = await SyncBacklog.LoadAsync(reads, recorder, context.Company.RealmId, onlyInvoiceIds, cancellationToken);
        recorder.Start(backlog.Total, backlog.InvoiceIds.ToHashSet());

        // Before any invoice: QuickBooks refuses to void an invoice that still has a payment applied, and a payment
        // removed in Jobkore (so that its invoice could be voided) is still applied there until this voids it.
        await dispatcher.FlushAsync(PaymentStep.VoidsOfDeleted(backlog.DeletedPayments), cancellationToken);

        var pages = new SyncPages(reads, backlog, context, pageSize);
        var names = new NameListStep(context);
        var invoices = new InvoiceStep(context);
        var payments = new PaymentStep(context);
        using var lookUps = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = pages.NextAsync(lookUps.Token, cancellationToken);
        SyncPage? naming = null, invoicing = null, paying = null;
        try
        {
            while (true)
            {
                (paying, invoicing, naming) = (invoicing, naming, await next);
                if (naming is null && invoicing is null && paying is null)
                {
                    break;
                }

                next = naming is null ? Task.FromResult<SyncPage?>(null) : pages.NextAsync(lookUps.Token, cancellationToken);
                var wave = new List<SyncWrite>();
                if (naming is not null)
                {
                    wave.AddRange(await names.ItemWritesAsync(naming.Items, await naming.ExistingItems, cancellationToken));
                    wave.AddRange(await names.ClientWritesAsync(naming.Clients, await naming.ExistingCustomers));
                }

                if (invoicing is not null)
                {
                    wave.AddRange(await invoices.WritesAsync(invoicing, await invoicing.ExistingInvoices));
                }

                if (paying is not null)
                {
                    wave.AddRange(await payments.WritesAsync(paying, cancellationToken));
                }

                await dispatcher.FlushAsync(wave, cancellationToken);
            }
        }
        finally
        {
            // A step that failed leaves the other look-ups unneeded: stop them, and wait until they have let go.
            await lookUps.CancelAsync();
            await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (next.IsCompletedSuccessfully && next.Result is { } prefetched)
            {
                await prefetched.LookUpsEnded();
            }

            await Task.WhenAll(new[] { naming, invoicing, paying }.OfType<SyncPage>().Select(p => p.LookUpsEnded()));
        }
    }
}

using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.SyncState;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// One run, in its order: first every request an earlier run left in doubt is resent from the journal; then what
/// waits is planned from what Jobkore holds now, QuickBooks is asked in bulk what it already has, and the steps send
/// catalog items and clients, the voids of deleted payments, invoices (voids last), and payments. One record's
/// failure never stops the others; a record whose dependency failed says which.
/// </summary>
internal sealed class SyncRun(SyncStepContext context, JobkoreDbContext db)
{
    public async Task RunAsync(IReadOnlyCollection<int>? onlyInvoiceIds, CancellationToken cancellationToken)
    {
        var recorder = context.Recorder;
        await recorder.LoadAsync(cancellationToken);
        await context.Dispatcher.ResendJournalAsync(cancellationToken);
        var plan = await SyncPlan.LoadAsync(db, recorder, context.Company.RealmId, onlyInvoiceIds, cancellationToken);
        recorder.Start(plan.Total, plan.Invoices.Select(i => i.Id).ToHashSet());

        // What QuickBooks already has does not depend on what this run sends: ask it all at once, then send step by step.
        using var lookUps = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lookups = context.Lookups;
        var items = lookups.ByValueAsync("Item", "Name", plan.Items.Where(i => recorder.QboIdOf(SyncEntityType.CatalogItem, i.Id) is null).Select(i => QboNames.ItemName(i.Name)),
            (QboQueryResponse r) => r.Item, i => i.Name, lookUps.Token);
        var customers = lookups.ByValueAsync("Customer", "DisplayName",
            plan.Clients.Where(c => recorder.QboIdOf(SyncEntityType.Client, c.Id) is null).Select(c => QboNames.DisplayName(c.DisplayName)),
            (QboQueryResponse r) => r.Customer, c => c.DisplayName, lookUps.Token);
        var invoices = lookups.ByValueAsync("Invoice", "DocNumber", plan.Invoices.Where(i => recorder.QboIdOf(SyncEntityType.Invoice, i.Id) is null).Select(i => i.Number),
            (QboQueryResponse r) => r.Invoice, i => i.DocNumber, lookUps.Token);
        var incomeAccount = plan.Items.Any(i => recorder.QboIdOf(SyncEntityType.CatalogItem, i.Id) is null) ? lookups.IncomeAccountAsync(lookUps.Token) : Task.CompletedTask;
        var paymentMethods = plan.Payments.Count > 0 ? lookups.PaymentMethodsAsync(lookUps.Token) : Task.CompletedTask;
        try
        {
            var names = new NameListStep(context);
            await names.PushItemsAsync(plan.Items, items, cancellationToken);
            await names.PushClientsAsync(plan.Clients, customers, cancellationToken);

            // Before any invoice: QuickBooks refuses to void an invoice that still has a payment applied, and a payment
            // removed in Jobkore (so that its invoice could be voided) is still applied there until this voids it.
            var payments = new PaymentStep(context, db);
            await payments.VoidDeletedAsync(plan.DeletedPayments, cancellationToken);
            await new InvoiceStep(context).PushAsync(plan, invoices, cancellationToken);
            await payments.PushAsync(plan.Payments, cancellationToken);
        }
        finally
        {
            // A step that failed leaves the other look-ups unneeded: stop them, and wait until they have let go.
            await lookUps.CancelAsync();
            await Task.WhenAll(items, customers, invoices, incomeAccount, paymentMethods).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Jobkore.Core.Data;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// One run, in its order: first every request an earlier run left in doubt is resent from the journal; then what
/// waits is listed (<see cref="SyncBacklog"/>, ids only), payments deleted in Jobkore are voided in QuickBooks, and
/// the backlog goes page by page (<see cref="SyncPages"/>), so a run's memory does not grow with its backlog. Each
/// page passes three steps in turn — its catalog items and clients, then its invoices, then its payments — and the
/// three steps work at the same time on consecutive pages, sharing the company's lanes: every write goes after what
/// it needs, and while one step waits for its last answers the others keep the lanes busy. Renames of linked clients
/// and items into a name another of them holds go after every page's names, in the order QuickBooks can take them.
/// The next page is loaded, and QuickBooks asked what it already has of it, while the names of the current one are
/// sent. One record's failure never stops the others; a record whose dependency failed says which. The first failure
/// of a step (a crash, a revoked connection, a lost lease) stops the others and is what the run reports.
/// </summary>
internal sealed class SyncRun(SyncStepContext context, JobkoreDbContext reads, int pageSize)
{
    private readonly ConcurrentDictionary<SyncPage, bool> _live = new();
    private Exception? _firstFailure;

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

        // A page waits for the next step once its own is done; one page at most waits between two steps.
        var named = Channel.CreateBounded<SyncPage>(1);
        var invoiced = Channel.CreateBounded<SyncPage>(1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pages = new SyncPages(reads, backlog, context, pageSize);
        var names = new NameListStep(context);
        var invoices = new InvoiceStep(context);
        var payments = new PaymentStep(context);
        try
        {
            await Task.WhenAll(
                StepAsync(stop, async token =>
                {
                    try
                    {
                        var next = NextAsync(pages, token);
                        while (await next is { } page)
                        {
                            next = NextAsync(pages, token);
                            try
                            {
                                List<SyncWrite> writes = [.. await names.ItemWritesAsync(page.Items, await page.ExistingItems, token),
                                    .. await names.ClientWritesAsync(page, await page.ExistingCustomers, token)];
                                await names.FlushAsync(writes, token);
                                await named.Writer.WriteAsync(page, token);
                            }
                            catch (Exception ex)
                            {
                                // Stop the other steps first; then let the page being loaded finish with the reads context.
                                await FailAsync(stop, ex);
                                await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                                throw;
                            }
                        }

                        await names.FlushRenamesAsync(token);
                    }
                    finally
                    {
                        named.Writer.TryComplete();
                    }
                }),
                StepAsync(stop, async token =>
                {
                    try
                    {
                        await foreach (var page in named.Reader.ReadAllAsync(token))
                        {
                            await dispatcher.FlushAsync(await invoices.WritesAsync(page, await page.ExistingInvoices), token);
                            await invoiced.Writer.WriteAsync(page, token);
                        }
                    }
                    finally
                    {
                        invoiced.Writer.TryComplete();
                    }
                }),
                StepAsync(stop, async token =>
                {
                    await foreach (var page in invoiced.Reader.ReadAllAsync(token))
                    {
                        await dispatcher.FlushAsync(await payments.WritesAsync(page, token), token);
                        _live.TryRemove(page, out _);
                    }
                }));
        }
        catch (Exception) when (_firstFailure is not null)
        {
            ExceptionDispatchInfo.Throw(_firstFailure);
        }
        finally
        {
            // A step that failed leaves the other look-ups unneeded: they are stopped; wait until they have let go.
            await stop.CancelAsync();
            await Task.WhenAll(_live.Keys.Select(p => p.LookUpsEnded()));
        }
    }

    /// <summary>The next page, kept among the pages still going through the steps until its payments are sent.</summary>
    private async Task<SyncPage?> NextAsync(SyncPages pages, CancellationToken cancellationToken)
    {
        var page = await pages.NextAsync(cancellationToken, cancellationToken);
        if (page is not null)
        {
            _live[page] = true;
        }

        return page;
    }

    /// <summary>One step's loop; its first failure stops the other steps.</summary>
    private async Task StepAsync(CancellationTokenSource stop, Func<CancellationToken, Task> step)
    {
        try
        {
            await step(stop.Token);
        }
        catch (Exception ex)
        {
            await FailAsync(stop, ex);
            throw;
        }
    }

    /// <summary>The first failure is what the run reports; it stops every step.</summary>
    private async Task FailAsync(CancellationTokenSource stop, Exception failure)
    {
        Interlocked.CompareExchange(ref _firstFailure, failure, null);
        await stop.CancelAsync();
    }
}

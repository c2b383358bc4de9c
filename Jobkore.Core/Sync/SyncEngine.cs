using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.QuickBooks.Settings;
using Jobkore.Core.Sync.Changes;
using Jobkore.Core.Sync.Engine;
using Jobkore.Core.SyncState;
using Jobkore.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.Sync;

/// <summary>
/// Sends the current business's waiting records to its QuickBooks company (docs/design.md §4, §10). A run is made of parts
/// that each do one job, in <c>Sync/Engine</c>: <see cref="SyncBacklog"/> (what waits), <see cref="SyncPages"/> (a page at a time), <see cref="Projection.QboProjection"/>
/// (Jobkore record → QuickBooks document), <see cref="SyncLookups"/> (what QuickBooks already has), the steps
/// (<see cref="NameListStep"/>, <see cref="InvoiceStep"/>, <see cref="PaymentStep"/>: which write each record needs),
/// <see cref="SyncDispatcher"/> (journal, lanes, batches, replay) and <see cref="SyncRecorder"/> (answers → sync
/// records, history, progress).
/// </summary>
public sealed partial class SyncEngine(
    IDbContextFactory<JobkoreDbContext> dbFactory,
    ICurrentBusiness currentBusiness,
    QuickBooksConnectionService connections,
    QboApiClient qbo,
    QboRateLimiter limiter,
    QuickBooksSettingsService settings,
    SyncNotifier notifier,
    SyncLeaseHolder lease,
    SyncTelemetry telemetry,
    IOptions<SyncOptions> options,
    TimeProvider timeProvider,
    ILogger<SyncEngine> logger)
{
    /// <summary>Sends every waiting record of the business.</summary>
    public Task<SyncSummary> SyncAllAsync(CancellationToken cancellationToken) => RunAsync(null, cancellationToken);

    /// <summary>Re-sync or retry of one invoice: it, what it needs (client, items), and its payments.</summary>
    public Task<SyncSummary> SyncInvoiceAsync(int invoiceId, CancellationToken cancellationToken) => RunAsync([invoiceId], cancellationToken);

    /// <summary>"Sync selected": these invoices, what they need (clients, items), and their payments.</summary>
    public Task<SyncSummary> SyncInvoicesAsync(IReadOnlyCollection<int> invoiceIds, CancellationToken cancellationToken) => RunAsync(invoiceIds, cancellationToken);

    /// <summary>
    /// "Re-create in QuickBooks" for an invoice deleted there (610): forgets its QBO id and sends it again, linking
    /// an invoice of the same number and customer if QuickBooks still has one.
    /// </summary>
    public async Task<SyncSummary> RecreateInvoiceAsync(int invoiceId, CancellationToken cancellationToken)
    {
        var company = await connections.GetCompanyAsync(cancellationToken);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var record = await db.SyncRecords.SingleOrDefaultAsync(r => r.RealmId == company.RealmId && r.EntityType == SyncEntityType.Invoice && r.EntityId == invoiceId, cancellationToken);
            if (record is not null)
            {
                record.Unlink();
                db.SyncAttempts.Add(new SyncAttempt(record.BusinessId, company.RealmId, SyncEntityType.Invoice, invoiceId, timeProvider.GetUtcNow(), "Unlink", true, null, null,
                    "Re-create in QuickBooks: the link to the deleted QuickBooks invoice was removed.", null));
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        return await RunAsync([invoiceId], cancellationToken);
    }

    /// <summary>
    /// "Check QuickBooks now", a webhook, the daily look: what changed in QuickBooks since the last look, flagged on the
    /// records Jobkore sent (docs/design.md §11). Sends nothing. Every other run looks first, too.
    /// </summary>
    public Task<SyncSummary> CheckQuickBooksAsync(CancellationToken cancellationToken) => RunAsync([], cancellationToken);

    /// <summary>A run of <paramref name="onlyInvoiceIds"/> (every waiting record when null; none: only the look at QuickBooks' changes).</summary>
    private async Task<SyncSummary> RunAsync(IReadOnlyCollection<int>? onlyInvoiceIds, CancellationToken cancellationToken)
    {
        var company = await connections.GetCompanyAsync(cancellationToken);
        var chosen = await settings.GetAsync(company.RealmId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var reads = await dbFactory.CreateDbContextAsync(cancellationToken);
        using var recorder = new SyncRecorder(db, notifier, timeProvider, logger, company, currentBusiness.Profile.Id, lease.Holder);
        var context = new SyncStepContext(company, chosen, recorder, new SyncDispatcher(qbo, limiter, company, recorder, options.Value.BatchSize),
            new SyncLookups(qbo, company, recorder, chosen));
        using var activity = telemetry.StartRun(currentBusiness.Profile.Id, company.RealmId);
        ChangeCheckSummary check;
        try
        {
            // What QuickBooks changed is looked at before anything is sent, so nothing is sent over it unseen.
            await using (var checkDb = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                check = await new QuickBooksChangeCheck(checkDb, qbo, company, currentBusiness.Profile.Id, lease.Holder, timeProvider, logger, recorder.CountRequest)
                    .RunAsync(cancellationToken);
            }

            if (onlyInvoiceIds is not { Count: 0 })
            {
                await new SyncRun(context, reads, options.Value.PageSize).RunAsync(onlyInvoiceIds, cancellationToken);

                var connection = await db.QuickBooksConnections.SingleAsync(cancellationToken);
                connection.RecordSync(timeProvider.GetUtcNow());
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            SyncTelemetry.Failed(activity, ex);
            throw;
        }
        finally
        {
            telemetry.RunEnded(activity, recorder.Counts, recorder.Requests);
        }

        var counts = recorder.Counts;
        LogRunFinished(logger, company.RealmId, counts.Sent, counts.Failed, recorder.Requests);
        return new SyncSummary(counts.Sent, counts.Failed, recorder.Requests, counts.TransientFailures) { ChangedInQuickBooks = check.Flagged + check.Relinked };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync run for QuickBooks company {RealmId}: {Synced} sent, {Failed} failed, {Requests} requests")]
    private static partial void LogRunFinished(ILogger logger, string realmId, int synced, int failed, int requests);
}

using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Sync.Projection;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync.Changes;

/// <summary>
/// What a person chooses for a record changed, deleted or voided in QuickBooks (docs/design.md §11), for the current
/// business: keep QuickBooks' version, send Jobkore's (re-create a deleted one), or void a voided invoice in Jobkore
/// too. Each choice is written with a line in the record's history; a choice that sends waits for that run's result.
/// </summary>
public sealed class QuickBooksChangeChoices(IDbContextFactory<JobkoreDbContext> dbFactory, ICurrentBusiness currentBusiness, InvoiceService invoices,
    SyncRuns runs, TimeProvider timeProvider)
{
    /// <summary>
    /// Keeps QuickBooks' version: no longer flagged, and not sent until the record changes in Jobkore. A record deleted
    /// or voided in QuickBooks has no version to keep: re-create it or void it in Jobkore instead.
    /// </summary>
    public async Task KeepQuickBooksVersionAsync(SyncEntityType type, int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await FlaggedAsync(db, type, id, cancellationToken);
        if (record.Drift != SyncDrift.Changed)
        {
            throw new DomainRuleException("Only a record changed in QuickBooks has a version there to keep: re-create it, or void it in Jobkore.");
        }

        var theirs = QuickBooksVersion(record) ?? throw new DomainRuleException("What Jobkore sent is not known; send Jobkore's version instead.");
        var hash = await CurrentHashAsync(db, type, id, cancellationToken)
            ?? throw new DomainRuleException("This record no longer exists in Jobkore.");
        record.KeepQuickBooksVersion(hash, theirs);
        History(db, record, "Keep", "Kept QuickBooks' version. Jobkore sends this record again once it is edited here.");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Sends Jobkore's version over QuickBooks' (re-creates one deleted there): an invoice or payment at once, in a run
    /// of its invoice, whose result this returns; a client or catalog item with the next sync (null).
    /// </summary>
    public async Task<SyncRunResult?> SendJobkoreVersionAsync(SyncEntityType type, int id, CancellationToken cancellationToken)
    {
        int? invoiceId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var record = await FlaggedAsync(db, type, id, cancellationToken);
            var deleted = record.Drift == SyncDrift.Deleted;
            record.SendJobkoreVersion(QuickBooksVersion(record));
            History(db, record, "Resend", deleted ? "Re-create in QuickBooks: Jobkore's version is sent again." : "Send Jobkore's version: it is sent over QuickBooks' version.");
            invoiceId = type switch
            {
                SyncEntityType.Invoice => id,
                SyncEntityType.Payment => await db.Payments.Where(p => p.Id == id).Select(p => (int?)p.InvoiceId).SingleOrDefaultAsync(cancellationToken),
                _ => null,
            };
            await db.SaveChangesAsync(cancellationToken);
        }

        return invoiceId is { } invoice ? await runs.RequestAsync(currentBusiness.Profile.Id, invoice, SyncTrigger.ResyncOne) : null;
    }

    /// <summary>Voids in Jobkore an invoice voided in QuickBooks, so both agree; the run that follows finds QuickBooks' done.</summary>
    public async Task<SyncRunResult> VoidInJobkoreAsync(int invoiceId, CancellationToken cancellationToken)
    {
        await invoices.VoidAsync(invoiceId, cancellationToken);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var record = await FlaggedAsync(db, SyncEntityType.Invoice, invoiceId, cancellationToken);
            record.SendJobkoreVersion(QuickBooksVersion(record));
            History(db, record, "Void", "Voided in Jobkore too, as it was in QuickBooks.");
            await db.SaveChangesAsync(cancellationToken);
        }

        return await runs.RequestAsync(currentBusiness.Profile.Id, invoiceId, SyncTrigger.ResyncOne);
    }

    /// <summary>QuickBooks' version of the fields Jobkore owns, as the change found left them: what Jobkore sent, with the differences found.</summary>
    private static QboSnapshot? QuickBooksVersion(SyncRecord record) =>
        QboOwnedValues.FromJson(record.QboFields) is { } sent
            ? QboOwnedValues.DifferencesFromJson(record.DriftFields).Aggregate(sent, (values, d) => values.With(d.Field, d.QuickBooks)).ToSnapshot()
            : null;

    private static async Task<SyncRecord> FlaggedAsync(JobkoreDbContext db, SyncEntityType type, int id, CancellationToken cancellationToken)
    {
        var realmId = await SyncStatuses.ConnectedRealmAsync(db, cancellationToken) ?? throw new DomainRuleException("QuickBooks is not connected.");
        var record = await db.SyncRecords.SingleOrDefaultAsync(r => r.RealmId == realmId && r.EntityType == type && r.EntityId == id, cancellationToken);
        return record is { IsFlagged: true } ? record
            : throw new DomainRuleException("This record is no longer flagged as changed in QuickBooks: refresh the page to see where it stands.");
    }

    private static Task<string?> CurrentHashAsync(JobkoreDbContext db, SyncEntityType type, int id, CancellationToken cancellationToken) => type switch
    {
        SyncEntityType.Client => db.Clients.Where(c => c.Id == id).Select(c => EF.Property<string?>(c, SyncHashProperty.Name)).SingleOrDefaultAsync(cancellationToken),
        SyncEntityType.CatalogItem => db.CatalogItems.Where(c => c.Id == id).Select(c => EF.Property<string?>(c, SyncHashProperty.Name)).SingleOrDefaultAsync(cancellationToken),
        SyncEntityType.Invoice => db.Invoices.Where(c => c.Id == id).Select(c => EF.Property<string?>(c, SyncHashProperty.Name)).SingleOrDefaultAsync(cancellationToken),
        SyncEntityType.Payment => db.Payments.Where(c => c.Id == id).Select(c => EF.Property<string?>(c, SyncHashProperty.Name)).SingleOrDefaultAsync(cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a record Jobkore sends."),
    };

    private void History(JobkoreDbContext db, SyncRecord record, string operation, string message) =>
        db.SyncAttempts.Add(new SyncAttempt(record.BusinessId, record.RealmId, record.EntityType, record.EntityId, timeProvider.GetUtcNow(), operation, true, record.QboId,
            null, message, null));
}

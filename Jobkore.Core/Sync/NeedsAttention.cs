using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync;

/// <summary>Why a record needs a person, in the order Needs attention shows the groups: what stops others first.</summary>
public enum AttentionCause
{
    /// <summary>A client that likely is a customer QuickBooks already has: an admin links it, creates a new one, or keeps it out.</summary>
    CustomerToReview,

    /// <summary>QuickBooks (or another Jobkore record) already holds the name: rename it.</summary>
    NameInUse,

    /// <summary>QuickBooks already has a transaction of the number: change it.</summary>
    NumberInUse,

    /// <summary>QuickBooks refused the record for what it holds (a missing value, an inactive account or item, a closed period).</summary>
    Refused,

    /// <summary>QuickBooks no longer accepts Jobkore's sign-in, or the company's subscription lapsed: nothing of the company can be sent.</summary>
    Connection,

    /// <summary>QuickBooks did not answer, or asked Jobkore to slow down: it goes with the next sync.</summary>
    NoAnswer,

    /// <summary>A record it needs (its client, an item, its invoice) is not in QuickBooks yet: it follows once that one is.</summary>
    WaitsForAnother,

    /// <summary>Sent, but QuickBooks' total differs from Jobkore's.</summary>
    AmountDiffers,

    /// <summary>Someone changed it in QuickBooks: a person chooses whose version stays.</summary>
    ChangedInQuickBooks,

    /// <summary>Deleted (made inactive) in QuickBooks: a person chooses to re-create it.</summary>
    DeletedInQuickBooks,

    /// <summary>Voided in QuickBooks while live in Jobkore: a person chooses to void it here or send it again.</summary>
    VoidedInQuickBooks,
}

/// <summary>One record that needs a person.</summary>
/// <param name="Type">What kind of record it is.</param>
/// <param name="Id">The record's id.</param>
/// <param name="Cause">Why it needs a person.</param>
/// <param name="Name">The client's or item's name, or the invoice's number (a payment's invoice's).</param>
/// <param name="ClientName">An invoice's or payment's client.</param>
/// <param name="Payment">A payment's amount and date.</param>
/// <param name="Message">The record's own message, as its badge shows it: what happened and what to do.</param>
/// <param name="InvoiceId">The invoice to open: the record itself, or a payment's invoice.</param>
/// <param name="Since">When it failed, or when the change in QuickBooks was found.</param>
public sealed record AttentionItem(SyncEntityType Type, int Id, AttentionCause Cause, string Name, string? ClientName, (decimal Amount, DateOnly Date)? Payment,
    string Message, int? InvoiceId, DateTimeOffset? Since);

/// <summary>
/// Every record of the connected company that needs a person (Settings › Integrations › QuickBooks › Needs attention):
/// failed, sent with a different amount, or changed, deleted or voided in QuickBooks. Its status is the record's badge
/// status (<see cref="SyncStatuses"/>), so the list and the badges never disagree. Retry sends a record with what
/// carries it: an invoice itself, a payment its invoice, a client or catalog item the invoices that need it.
/// </summary>
public sealed class NeedsAttention(IDbContextFactory<JobkoreDbContext> dbFactory, SyncStatuses statuses, SyncRuns runs, ICurrentBusiness currentBusiness)
{
    /// <summary>At most this many records are listed (the count says how many there are).</summary>
    public const int Limit = 500;

    /// <summary>The records that need a person, by cause then name; empty when QuickBooks is not connected.</summary>
    public async Task<AttentionList> ListAsync(CancellationToken cancellationToken)
    {
        Dictionary<(SyncEntityType Type, int Id), SyncRecord> records;
        HashSet<(SyncEntityType Type, int Id)> keys;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var realmId = await SyncStatuses.ConnectedRealmAsync(db, cancellationToken);
            if (realmId is null)
            {
                return AttentionList.Empty;
            }

            var flagged = db.SyncPending.Where(p => p.RealmId == realmId && (p.Failed || p.Flagged)).Select(p => new { p.EntityType, p.EntityId });
            var warned = db.SyncRecords.Where(r => r.RealmId == realmId && r.Warning != null).Select(r => new { r.EntityType, r.EntityId });
            keys = (await flagged.Union(warned).ToListAsync(cancellationToken)).Select(k => (k.EntityType, k.EntityId)).ToHashSet();
            var ids = keys.Select(k => k.Id).Distinct().ToList();
            records = (await db.SyncRecords.AsNoTracking().Where(r => r.RealmId == realmId && ids.Contains(r.EntityId)).ToListAsync(cancellationToken))
                .Where(r => keys.Contains((r.EntityType, r.EntityId)))
                .ToDictionary(r => (r.EntityType, r.EntityId));
        }

        var items = new List<AttentionItem>();
        foreach (var type in new[] { SyncEntityType.Client, SyncEntityType.CatalogItem, SyncEntityType.Invoice, SyncEntityType.Payment })
        {
            var ids = keys.Where(k => k.Type == type).Select(k => k.Id).ToList();
            if (ids.Count == 0)
            {
                continue;
            }

            var views = type == SyncEntityType.Invoice ? await statuses.ViewsForInvoicesAsync(ids, cancellationToken) : await statuses.ViewsAsync(type, ids, cancellationToken);
            var names = await NamesAsync(type, ids, cancellationToken);
            foreach (var (id, view) in views ?? new Dictionary<int, SyncView>())
            {
                var record = records.GetValueOrDefault((type, id));
                if (CauseOf(view.Status, view.ErrorCode) is { } cause && names.TryGetValue(id, out var item))
                {
                    items.Add(item with
                    {
                        Cause = cause,
                        Message = view.Message ?? string.Empty,
                        Since = view.Status switch
                        {
                            SyncStatus.Failed => view.FailedAt,
                            SyncStatus.Warning => record?.LastAttemptAt,
                            _ => record?.DriftFoundAt,
                        },
                    });
                }
            }
        }

        var ordered = items.OrderBy(i => i.Cause).ThenBy(i => i.Type).ThenBy(i => i.Name, StringComparer.OrdinalIgnoreCase).ThenBy(i => i.Id).ToList();
        return new AttentionList([.. ordered.Take(Limit)], ordered.Count);
    }

    /// <summary>
    /// Sends the record again with what carries it, and returns how the run went; null when nothing carries it (a client
    /// or item that no sent invoice uses: it goes with its first one).
    /// </summary>
    public async Task<SyncRunResult?> RetryAsync(SyncEntityType type, int id, CancellationToken cancellationToken)
    {
        List<int> invoiceIds;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var sendable = db.Invoices.Where(i => i.Status != InvoiceStatus.Draft);
            invoiceIds = type switch
            {
                SyncEntityType.Invoice => [id],
                SyncEntityType.Payment => await db.Payments.Where(p => p.Id == id).Select(p => p.InvoiceId).ToListAsync(cancellationToken),
                SyncEntityType.Client => await sendable.Where(i => i.ClientId == id).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(cancellationToken),
                SyncEntityType.CatalogItem => await sendable.Where(i => i.Lines.Any(l => l.CatalogItemId == id)).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a record Jobkore sends."),
            };
        }

        return invoiceIds switch
        {
            [] => null,
            [var one] => await runs.RequestAsync(currentBusiness.Profile.Id, one, SyncTrigger.ResyncOne),
            _ => await runs.RequestInvoicesAsync(currentBusiness.Profile.Id, invoiceIds, SyncTrigger.SyncSelected),
        };
    }

    /// <summary>
    /// Sends again, as it is, a record QuickBooks took with another total (once its sales tax settings are corrected),
    /// with what carries it; returns how the run went.
    /// </summary>
    public async Task<SyncRunResult?> SendAgainAsync(SyncEntityType type, int id, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var realmId = await SyncStatuses.ConnectedRealmAsync(db, cancellationToken)
                ?? throw new DomainRuleException("QuickBooks is not connected: connect it in Integrations to send this again.");
            var record = await db.SyncRecords.SingleOrDefaultAsync(r => r.RealmId == realmId && r.EntityType == type && r.EntityId == id && r.Warning != null, cancellationToken)
                ?? throw new DomainRuleException("QuickBooks already holds this record's amount as Jobkore has it: there is nothing to send again.");
            record.SendAgain();
            await db.SaveChangesAsync(cancellationToken);
        }

        return await RetryAsync(type, id, cancellationToken);
    }

    /// <summary>Why a record of this status and last error code needs a person, or null when it does not.</summary>
    public static AttentionCause? CauseOf(SyncStatus status, string? errorCode) => status switch
    {
        SyncStatus.Failed => errorCode switch
        {
            SyncErrorMessages.ReviewCode => AttentionCause.CustomerToReview,
            SyncErrorMessages.SameNameCode or "6240" => AttentionCause.NameInUse,
            "6140" => AttentionCause.NumberInUse,
            SyncErrorMessages.WaitsForAnotherCode => AttentionCause.WaitsForAnother,
            "3200" or "003200" or "3100" or "003100" or "100" or "120" or "6190" => AttentionCause.Connection,
            null or "3001" or "003001" or "10000" => AttentionCause.NoAnswer,
            _ => AttentionCause.Refused,
        },
        SyncStatus.Warning => AttentionCause.AmountDiffers,
        SyncStatus.ChangedInQuickBooks => AttentionCause.ChangedInQuickBooks,
        SyncStatus.DeletedInQuickBooks => AttentionCause.DeletedInQuickBooks,
        SyncStatus.VoidedInQuickBooks => AttentionCause.VoidedInQuickBooks,
        _ => null,
    };

    /// <summary>What each record is (the cause and message are filled in by the caller), for the records that still exist.</summary>
    private async Task<Dictionary<int, AttentionItem>> NamesAsync(SyncEntityType type, List<int> ids, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        AttentionItem Item(int id, string name, string? client = null, (decimal, DateOnly)? payment = null, int? invoiceId = null) =>
            new(type, id, default, name, client, payment, string.Empty, invoiceId, null);
        return type switch
        {
            SyncEntityType.Client => (await db.Clients.Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.DisplayName }).ToListAsync(cancellationToken))
                .ToDictionary(c => c.Id, c => Item(c.Id, c.DisplayName)),
            SyncEntityType.CatalogItem => (await db.CatalogItems.Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken))
                .ToDictionary(c => c.Id, c => Item(c.Id, c.Name)),
            SyncEntityType.Invoice => (await db.Invoices.Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, i.Number, Client = i.Client!.DisplayName }).ToListAsync(cancellationToken))
                .ToDictionary(i => i.Id, i => Item(i.Id, i.Number, i.Client, invoiceId: i.Id)),
            _ => (await db.Payments.Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Amount, p.Date, p.InvoiceId, p.Invoice!.Number, Client = p.Invoice.Client!.DisplayName })
                    .ToListAsync(cancellationToken))
                .ToDictionary(p => p.Id, p => Item(p.Id, p.Number, p.Client, (p.Amount, p.Date), p.InvoiceId)),
        };
    }
}

/// <summary>The records that need a person (at most <see cref="NeedsAttention.Limit"/>), and how many there are in all.</summary>
public sealed record AttentionList(IReadOnlyList<AttentionItem> Items, int Total)
{
    public static AttentionList Empty { get; } = new([], 0);
}

using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Jobkore.Core.QuickBooks.Webhooks;

/// <summary>How the webhook endpoint answers a delivery.</summary>
public enum WebhookReceipt
{
    /// <summary>Signed and read: its new events are kept and a look at the companies' changes is queued. HTTP 200.</summary>
    Accepted,

    /// <summary>Missing or wrong <c>intuit-signature</c>: nothing is kept. HTTP 401.</summary>
    BadSignature,

    /// <summary>No verifier token is configured, so no delivery can be trusted: nothing is kept. HTTP 401.</summary>
    NotConfigured,

    /// <summary>Signed, but neither webhook format: nothing is kept. HTTP 400.</summary>
    Malformed,
}

/// <summary>
/// Takes in Intuit's webhook deliveries (docs/design.md §11): checks the signature, keeps each new event once (the same
/// company, source and id is the same event, however often delivered), drops events of companies no business has
/// connected, and queues for each business concerned one look at its company's changes — unless one already waits,
/// so a burst of deliveries costs one change data capture read. Quick: the look runs in the sync worker, not here.
/// </summary>
public sealed partial class QuickBooksWebhookReceiver(DbContextOptions<JobkoreDbContext> dbOptions, SyncRuns runs, TimeProvider timeProvider,
    ILogger<QuickBooksWebhookReceiver> logger)
{
    /// <summary>Intuit's notes: about 1 MB per delivery at most. Twice that is refused unread.</summary>
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    public async Task<WebhookReceipt> ReceiveAsync(byte[] body, string? signature, string? verifierToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrEmpty(verifierToken))
        {
            LogNotConfigured(logger);
            return WebhookReceipt.NotConfigured;
        }

        if (!QuickBooksWebhookPayload.IsSigned(body, signature, verifierToken))
        {
            LogBadSignature(logger, body.Length);
            return WebhookReceipt.BadSignature;
        }

        IReadOnlyList<QuickBooksWebhookChange> changes;
        try
        {
            changes = QuickBooksWebhookPayload.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            LogMalformed(logger, body.Length);
            return WebhookReceipt.Malformed;
        }

        var now = timeProvider.GetUtcNow();
        var realms = changes.Select(c => c.RealmId).Distinct().ToList();
        List<(int BusinessId, string RealmId)> connected;
        await using (var db = JobkoreDbContext.ForBusinessesOnly(dbOptions))
        {
            connected = (await db.QuickBooksConnections.IgnoreQueryFilters()
                .Where(c => realms.Contains(c.RealmId) && c.Status != QuickBooksConnectionStatus.Disconnected)
                .Select(c => new { c.BusinessId, c.RealmId }).ToListAsync(cancellationToken)).Select(c => (c.BusinessId, c.RealmId)).ToList();
        }

        var connectedRealms = connected.Select(c => c.RealmId).ToHashSet(StringComparer.Ordinal);
        var kept = await KeepNewAsync([.. changes.Where(c => connectedRealms.Contains(c.RealmId))], now, cancellationToken);
        foreach (var (businessId, _) in connected.Where(c => kept.Contains(c.RealmId)).Distinct())
        {
            await runs.QueueCheckAsync(businessId, cancellationToken);
        }

        var dropped = changes.Count(c => !connectedRealms.Contains(c.RealmId));
        LogReceived(logger, changes.Count, dropped, kept.Count);
        return WebhookReceipt.Accepted;
    }

    /// <summary>
    /// Keeps the events not kept before, in one look-up and one save for the whole delivery (Intuit waits 3 s for the
    /// answer); returns the companies that had one. When another delivery of the same events saves first, each is kept
    /// on its own, so the rest still are.
    /// </summary>
    private async Task<HashSet<string>> KeepNewAsync(IReadOnlyList<QuickBooksWebhookChange> changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var distinct = changes.DistinctBy(c => (c.RealmId, c.Source, c.EventId)).ToList();
        var realms = distinct.Select(c => c.RealmId).Distinct().ToList();
        var ids = distinct.Select(c => c.EventId).Distinct().ToList();
        List<QuickBooksWebhookEvent> fresh;
        await using (var db = JobkoreDbContext.ForBusinessesOnly(dbOptions))
        {
            var known = (await db.QuickBooksWebhookEvents.Where(e => realms.Contains(e.RealmId) && ids.Contains(e.EventId))
                .Select(e => new { e.RealmId, e.Source, e.EventId }).ToListAsync(cancellationToken)).Select(e => (e.RealmId, e.Source, e.EventId)).ToHashSet();
            fresh = [.. distinct.Where(c => !known.Contains((c.RealmId, Cap(c.Source, 200), Cap(c.EventId, 200)))).Select(c => ToEvent(c, now))];
            db.QuickBooksWebhookEvents.AddRange(fresh);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return [.. fresh.Select(e => e.RealmId)];
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                // Another delivery of some of the same events saved first: keep the others one by one.
            }
        }

        var realmsWithNew = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in distinct)
        {
            await using var db = JobkoreDbContext.ForBusinessesOnly(dbOptions);
            db.QuickBooksWebhookEvents.Add(ToEvent(change, now));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                realmsWithNew.Add(change.RealmId);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                // Kept by the other delivery.
            }
        }

        return realmsWithNew;
    }

    private static QuickBooksWebhookEvent ToEvent(QuickBooksWebhookChange change, DateTimeOffset now) =>
        new(change.RealmId, Cap(change.Source, 200), Cap(change.EventId, 200), Cap(change.Entity, 50), Cap(change.EntityId, 50), Cap(change.Operation, 20),
            change.DeletedId is null ? null : Cap(change.DeletedId, 50), change.OccurredAt, now);

    private static string Cap(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(Level = LogLevel.Warning, Message = "A QuickBooks webhook arrived but QuickBooks:WebhookVerifierToken is not set; it was refused")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A QuickBooks webhook of {Bytes} bytes had a missing or wrong intuit-signature; it was refused")]
    private static partial void LogBadSignature(ILogger logger, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A signed QuickBooks webhook of {Bytes} bytes was in neither webhook format; it was refused")]
    private static partial void LogMalformed(ILogger logger, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "QuickBooks webhook: {Events} events, {Dropped} of companies not connected, {New} companies with new events")]
    private static partial void LogReceived(ILogger logger, int events, int dropped, int @new);
}

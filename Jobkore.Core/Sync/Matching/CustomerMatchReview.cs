using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.Security;
using Jobkore.Core.Sync.Engine;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Sync.Matching;

/// <summary>What comparing the clients not linked yet with the company's customers found.</summary>
/// <param name="SameName">Clients a customer has the name of: linked to it when they are first sent.</param>
/// <param name="ToReview">Clients that likely are a customer: they wait for an admin.</param>
/// <param name="New">Clients no customer looks like: created when they are first sent.</param>
public sealed record CustomerMatchSummary(int SameName, int ToReview, int New);

/// <summary>A client under review, or decided, and what it looks like.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="ClientName">Its display name in Jobkore.</param>
/// <param name="Email">Its email, if any.</param>
/// <param name="Phone">Its phone, if any.</param>
/// <param name="PostalCode">Its billing postal code, if any.</param>
/// <param name="State">What is to become of it.</param>
/// <param name="Candidates">The customers it likely is, likeliest first.</param>
/// <param name="ChosenQboId">The customer chosen, when linking.</param>
/// <param name="Invoices">How many of its invoices are sent (not drafts): what goes to QuickBooks with it.</param>
/// <param name="InQuickBooks">The client is linked to a customer now, so what was decided is done.</param>
public sealed record CustomerReviewItem(int ClientId, string ClientName, string? Email, string? Phone, string? PostalCode, CustomerMatchState State,
    IReadOnlyList<CustomerCandidate> Candidates, string? ChosenQboId, int Invoices, bool InQuickBooks)
{
    /// <summary>The customer chosen, when linking to one of the candidates.</summary>
    public CustomerCandidate? Chosen => Candidates.FirstOrDefault(c => c.QboId == ChosenQboId);
}

/// <summary>
/// Customer matches (Settings › Integrations › QuickBooks › Customer matches): before a client is first sent, it is
/// compared with the company's customers (<see cref="CustomerMatching"/>); a likely match waits for an admin, who links
/// it to a customer, creates a new one, or keeps it out of QuickBooks (its invoices and payments with it). The sync
/// finds the likely matches of the clients it is about to create by itself; <see cref="ScanAsync"/> finds them for
/// every client not linked yet (after connecting, or when asked), reading the customers once.
/// </summary>
public sealed class CustomerMatchReview(IDbContextFactory<JobkoreDbContext> dbFactory, QboApiClient qbo, QuickBooksConnectionService connections, SyncRuns runs,
    ICurrentBusiness currentBusiness, ICurrentUser currentUser, TimeProvider time)
{
    public Task<bool> CanDecideAsync() => currentUser.IsAllowedAsync(Policies.IntegrationAdmin);

    /// <summary>Compares every client not linked yet with the company's customers, read once (active and inactive), and opens or updates their reviews.</summary>
    public async Task<CustomerMatchSummary> ScanAsync(CancellationToken cancellationToken)
    {
        await currentUser.EnsureAllowedAsync(Policies.IntegrationAdmin, "review customer matches");
        var company = await connections.GetCompanyAsync(cancellationToken);
        var customers = await SyncLookups.LoadCustomersAsync(qbo, company, () => { }, cancellationToken);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var linked = db.SyncRecords.Where(r => r.RealmId == company.RealmId && r.EntityType == SyncEntityType.Client && r.QboId != null);
        var linkedIds = (await linked.Select(r => r.QboId!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var clients = await db.Clients.AsNoTracking().Where(c => !linked.Any(r => r.EntityId == c.Id)).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var reviews = await db.CustomerMatches.Where(m => m.RealmId == company.RealmId).ToDictionaryAsync(m => m.ClientId, cancellationToken);
        var matching = new CustomerMatching(customers, linkedIds);
        int sameName = 0, toReview = 0, created = 0;
        foreach (var client in clients)
        {
            var review = reviews.GetValueOrDefault(client.Id);
            if (review is { State: not CustomerMatchState.ToReview })
            {
                continue; // decided
            }

            var (kind, _, candidates) = matching.Match(client);
            switch (kind)
            {
                case CustomerMatchKind.Likely when review is null:
                    db.CustomerMatches.Add(new CustomerMatch(currentBusiness.Profile.Id, company.RealmId, client.Id, candidates, time.GetUtcNow()));
                    toReview++;
                    break;
                case CustomerMatchKind.Likely:
                    review!.Refresh(candidates, time.GetUtcNow());
                    toReview++;
                    break;
                default:
                    if (review is not null)
                    {
                        db.CustomerMatches.Remove(review); // what it looked like is gone from QuickBooks
                    }

                    _ = kind == CustomerMatchKind.SameName ? sameName++ : created++;
                    break;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new CustomerMatchSummary(sameName, toReview, created);
    }

    /// <summary>The clients to review first, then those decided (so a client kept out can be sent after all); empty when QuickBooks is not connected.</summary>
    public async Task<IReadOnlyList<CustomerReviewItem>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var realmId = await SyncStatuses.ConnectedRealmAsync(db, cancellationToken);
        if (realmId is null)
        {
            return [];
        }

        var linked = LinkedClients(db, realmId);
        var rows = await db.CustomerMatches.AsNoTracking().Where(m => m.RealmId == realmId)
            .Join(db.Clients, m => m.ClientId, c => c.Id, (m, c) => new
            {
                Match = m, c.DisplayName, c.Email, c.Phone, c.BillingAddress.PostalCode,
                Invoices = db.Invoices.Count(i => i.ClientId == c.Id && i.Status != InvoiceStatus.Draft),
                InQuickBooks = linked.Contains(c.Id),
            })
            .Where(r => !(r.InQuickBooks && r.Match.State == CustomerMatchState.ToReview)) // linked by its name since: nothing to review
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Match.State != CustomerMatchState.ToReview).ThenBy(r => r.DisplayName, StringComparer.OrdinalIgnoreCase)
            .Select(r => new CustomerReviewItem(r.Match.ClientId, r.DisplayName, r.Email, r.Phone, r.PostalCode, r.Match.State, r.Match.Candidates, r.Match.ChosenQboId,
                r.Invoices, r.InQuickBooks))];
    }

    /// <summary>How many clients wait for a review, for the card; 0 when QuickBooks is not connected.</summary>
    public async Task<int> CountToReviewAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var realmId = await SyncStatuses.ConnectedRealmAsync(db, cancellationToken);
        if (realmId is null)
        {
            return 0;
        }

        var linked = LinkedClients(db, realmId);
        return await db.CustomerMatches.CountAsync(m => m.RealmId == realmId && m.State == CustomerMatchState.ToReview && !linked.Contains(m.ClientId), cancellationToken);
    }

    private static IQueryable<int> LinkedClients(JobkoreDbContext db, string realmId) =>
        db.SyncRecords.Where(r => r.RealmId == realmId && r.EntityType == SyncEntityType.Client && r.QboId != null).Select(r => r.EntityId);

    /// <summary>
    /// An admin's choice for a client: link it to <paramref name="qboId"/> (one of its candidates), create a new
    /// customer, or keep it out of QuickBooks. Linking or creating sends the client's invoices at once and returns how
    /// that run went (null when it has none: it goes with its first); keeping it out sends nothing.
    /// </summary>
    public async Task<SyncRunResult?> DecideAsync(int clientId, CustomerMatchState decision, string? qboId, CancellationToken cancellationToken)
    {
        await currentUser.EnsureAllowedAsync(Policies.IntegrationAdmin, "review customer matches");
        List<int> invoiceIds;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var review = await ReviewAsync(db, clientId, cancellationToken);
            if (await LinkedClients(db, review.RealmId).ContainsAsync(clientId, cancellationToken))
            {
                throw new DomainRuleException("This client is in QuickBooks now, linked to its customer: there is nothing left to choose.");
            }

            review.Decide(decision, qboId, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            invoiceIds = decision == CustomerMatchState.DontSync ? []
                : await db.Invoices.Where(i => i.ClientId == clientId && i.Status != InvoiceStatus.Draft).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(cancellationToken);
        }

        return invoiceIds.Count == 0 ? null : await runs.RequestInvoicesAsync(currentBusiness.Profile.Id, invoiceIds, SyncTrigger.SyncSelected);
    }

    /// <summary>Undoes a choice: the client is reviewed again (a client kept out of QuickBooks is to be sent after all).</summary>
    public async Task ReopenAsync(int clientId, CancellationToken cancellationToken)
    {
        await currentUser.EnsureAllowedAsync(Policies.IntegrationAdmin, "review customer matches");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var review = await ReviewAsync(db, clientId, cancellationToken);
        if (await LinkedClients(db, review.RealmId).ContainsAsync(clientId, cancellationToken))
        {
            throw new DomainRuleException("This client is in QuickBooks now, linked to its customer, so its match cannot be reviewed again.");
        }

        review.Reopen();
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<CustomerMatch> ReviewAsync(JobkoreDbContext db, int clientId, CancellationToken cancellationToken)
    {
        var realmId = await SyncStatuses.ConnectedRealmAsync(db, cancellationToken)
            ?? throw new DomainRuleException("QuickBooks is not connected: connect it to review customer matches.");
        return await db.CustomerMatches.SingleOrDefaultAsync(m => m.RealmId == realmId && m.ClientId == clientId, cancellationToken)
            ?? throw new DomainRuleException("This client has no customer match to review any more.");
    }
}

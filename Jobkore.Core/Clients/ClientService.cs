using Jobkore.Core.Businesses;
using Jobkore.Core.Common;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Clients;

/// <summary>Lists, reads and saves the current business's clients.</summary>
public sealed class ClientService(IDbContextFactory<JobkoreDbContext> dbFactory, ICurrentBusiness currentBusiness, TimeProvider timeProvider)
{
    public static class SortKeys
    {
        public const string Name = "name";
        public const string Company = "company";
        public const string Email = "email";
        public const string City = "city";
    }

    public async Task<PagedResult<ClientRow>> ListAsync(PageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Clients.AsNoTracking();
        if (request.ContainsPattern is { } pattern)
        {
            query = query.WhereAnyLike(db.Database, pattern, c => c.DisplayName, c => c.CompanyName, c => c.Email, c => c.Phone);
        }

        return await query.ToPageAsync(
            q => (request.SortBy switch
            {
                SortKeys.Company => q.OrderBy(c => c.CompanyName, request.Descending),
                SortKeys.Email => q.OrderBy(c => c.Email, request.Descending),
                SortKeys.City => q.OrderBy(c => c.BillingAddress.City, request.Descending),
                _ => q.OrderBy(c => c.DisplayName, request.Descending),
            }).ThenBy(c => c.Id),
            c => new ClientRow(c.Id, c.DisplayName, c.CompanyName, c.Email, c.Phone, c.BillingAddress.City),
            request,
            cancellationToken);
    }

    /// <summary>Clients whose name or company contains the text, for a picker.</summary>
    public async Task<IReadOnlyList<ClientOption>> SearchAsync(string? text, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Clients.AsNoTracking();
        if (new PageRequest(Search: text).ContainsPattern is { } pattern)
        {
            query = query.WhereAnyLike(db.Database, pattern, c => c.DisplayName, c => c.CompanyName);
        }

        return await query.OrderBy(c => c.DisplayName).Take(limit).Select(c => new ClientOption(c.Id, c.DisplayName, c.CompanyName)).ToListAsync(cancellationToken);
    }

    public async Task<ClientDetails?> GetAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        return client?.Details;
    }

    public async Task<int> CreateAsync(ClientDetails details, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var client = new Client(currentBusiness.Profile.Id, details, timeProvider.GetUtcNow());
        db.Clients.Add(client);
        await db.SaveChangesAsync(cancellationToken);
        return client.Id;
    }

    public async Task UpdateAsync(int id, ClientDetails details, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new DomainRuleException("This client no longer exists.");
        client.Update(details, timeProvider.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }
}

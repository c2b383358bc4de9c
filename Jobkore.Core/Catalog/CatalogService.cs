using Jobkore.Core.Businesses;
using Jobkore.Core.Common;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Catalog;

/// <summary>Lists, reads and saves the current business's catalog of products and services.</summary>
public sealed class CatalogService(IDbContextFactory<JobkoreDbContext> dbFactory, ICurrentBusiness currentBusiness, TimeProvider timeProvider)
{
    public static class SortKeys
    {
        public const string Name = "name";
        public const string UnitPrice = "price";
        public const string Active = "active";
    }

    public async Task<PagedResult<CatalogItemRow>> ListAsync(PageRequest request, bool activeOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.CatalogItems.AsNoTracking();
        if (activeOnly)
        {
            query = query.Where(i => i.Active);
        }

        if (request.ContainsPattern is { } pattern)
        {
            query = query.WhereAnyLike(db.Database, pattern, i => i.Name, i => i.Description);
        }

        return await query.ToPageAsync(
            q => (request.SortBy switch
            {
                SortKeys.UnitPrice => q.OrderBy(i => i.UnitPrice, request.Descending),
                SortKeys.Active => q.OrderBy(i => i.Active, request.Descending),
                _ => q.OrderBy(i => i.Name, request.Descending),
            }).ThenBy(i => i.Id),
            i => new CatalogItemRow(i.Id, i.Name, i.Description, i.UnitPrice, i.Taxable, i.Active),
            request,
            cancellationToken);
    }

    /// <summary>Active items whose name contains the text, for the invoice editor's picker.</summary>
    public async Task<IReadOnlyList<CatalogItemRow>> SearchActiveAsync(string? text, int limit, CancellationToken cancellationToken)
    {
        var page = await ListAsync(new PageRequest(PageSize: limit, Search: text), activeOnly: true, cancellationToken);
        return page.Items;
    }

    /// <summary>The items with these ids, active or not: what an existing invoice's lines refer to.</summary>
    public async Task<IReadOnlyList<CatalogItemRow>> GetRowsAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.CatalogItems.AsNoTracking().Where(i => ids.Contains(i.Id))
            .Select(i => new CatalogItemRow(i.Id, i.Name, i.Description, i.UnitPrice, i.Taxable, i.Active))
            .ToListAsync(cancellationToken);
    }

    public async Task<CatalogItemDetails?> GetAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.CatalogItems.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        return item?.Details;
    }

    public async Task<int> CreateAsync(CatalogItemDetails details, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = new CatalogItem(currentBusiness.Profile.Id, details, timeProvider.GetUtcNow());
        db.CatalogItems.Add(item);
        await SaveAsync(db, item.Name, cancellationToken);
        return item.Id;
    }

    public async Task UpdateAsync(int id, CatalogItemDetails details, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.CatalogItems.SingleOrDefaultAsync(i => i.Id == id, cancellationToken)
            ?? throw new DomainRuleException("This catalog item no longer exists.");
        item.Update(details, timeProvider.GetUtcNow());
        await SaveAsync(db, item.Name, cancellationToken);
    }

    private static async Task SaveAsync(JobkoreDbContext db, string name, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new DomainRuleException($"The catalog already has an item named '{name}'. Item names must be unique.", nameof(CatalogItem.Name));
        }
    }
}

using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Common;

internal static class QueryableExtensions
{
    public static IOrderedQueryable<T> OrderBy<T, TKey>(this IQueryable<T> source, Expression<Func<T, TKey>> key, bool descending) =>
        descending ? source.OrderByDescending(key) : source.OrderBy(key);

    public static async Task<PagedResult<TRow>> ToPageAsync<T, TRow>(
        this IQueryable<T> filtered,
        Func<IQueryable<T>, IOrderedQueryable<T>> order,
        Expression<Func<T, TRow>> select,
        PageRequest request,
        CancellationToken cancellationToken)
    {
        var total = await filtered.CountAsync(cancellationToken);
        var items = await order(filtered).Skip(request.Skip).Take(request.Take).Select(select).ToListAsync(cancellationToken);
        return new PagedResult<TRow>(items, total);
    }
}

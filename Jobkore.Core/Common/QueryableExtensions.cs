using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Jobkore.Core.Common;

internal static class QueryableExtensions
{
    private static readonly MethodInfo s_like = typeof(DbFunctionsExtensions).GetMethod(
        nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    private static readonly MethodInfo s_ilike = typeof(NpgsqlDbFunctionsExtensions).GetMethod(
        nameof(NpgsqlDbFunctionsExtensions.ILike), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    /// <summary>
    /// Rows where any of <paramref name="fields"/> matches the LIKE <paramref name="pattern"/> (<see cref="PageRequest.ContainsPattern"/>),
    /// ignoring case on every database: SQLite's LIKE ignores ASCII case, PostgreSQL's does not, so there it is ILIKE.
    /// </summary>
    public static IQueryable<T> WhereAnyLike<T>(this IQueryable<T> source, DatabaseFacade database, string pattern, params Expression<Func<T, string?>>[] fields)
    {
        ArgumentNullException.ThrowIfNull(database);
        var like = database.IsNpgsql() ? s_ilike : s_like;
        var row = Expression.Parameter(typeof(T), "row");
        // A member of a closure, not a constant, so the pattern is sent as a parameter and the query plan is cached.
        var search = new SearchPattern(pattern);
        var patternValue = Expression.Property(Expression.Constant(search), nameof(SearchPattern.Value));
        var matches = fields
            .Select(field => (Expression)Expression.Call(like, Expression.Constant(EF.Functions), new ParameterReplacer(field.Parameters[0], row).Visit(field.Body), patternValue, Expression.Constant(PageRequest.LikeEscape)))
            .Aggregate(Expression.OrElse);
        return source.Where(Expression.Lambda<Func<T, bool>>(matches, row));
    }

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

    private sealed record SearchPattern(string Value);

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

using Jobkore.Core.Common;
using MudBlazor;

namespace Jobkore.Web.Components.Shared;

/// <summary>Between MudTable's <c>ServerData</c> and the Core services' paging.</summary>
public static class ListTableExtensions
{
    /// <summary>The page, page size and sort MudTable asks for, with the page's search.</summary>
    public static PageRequest ToPageRequest(this TableState state, string? search)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new PageRequest(state.Page, state.PageSize, search, state.SortLabel, state.SortDirection == SortDirection.Descending);
    }

    public static TableData<T> ToTableData<T>(this PagedResult<T> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new TableData<T> { Items = page.Items, TotalItems = page.TotalCount };
    }
}

using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace Jobkore.Web.Components.Shared;

/// <summary>
/// <see cref="MudTable{T}"/> with <c>ServerData</c> as the list pages use it: outlined, 25 rows to a page with
/// <see cref="ListPager"/>, columns that sort one way or the other (never unsorted), and a row click that opens the row
/// rather than selecting it. Two things of our own: MudTable first calls <c>ServerData</c> after its first interactive
/// render, which a prerendered page never has, so this table loads right after its first render, on the server's
/// prerender as over the circuit, and the page's HTML carries the first page of rows; and <see cref="RefreshAsync"/>
/// for live updates.
/// </summary>
[CascadingTypeParameter(nameof(T))]
public sealed class ListTable<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T> : MudTable<T>
{
    private const int FirstRowsPerPage = 25;

    private const string ListClass = "jk-table";

    private bool _refreshing;

    public ListTable()
    {
        Class = ListClass;
        Elevation = 0;
        Outlined = true;
        Hover = true;
        AllowUnsorted = false;
        SelectOnRowClick = false;
        Breakpoint = Breakpoint.None;
        LoadingProgressColor = Color.Primary;
        PagerContent = builder =>
        {
            // What the pager shows, as values: it redraws only when one of them changed.
            builder.OpenComponent<ListPager>(0);
            builder.AddComponentParameter(1, nameof(ListPager.RowsPerPage), RowsPerPage);
            builder.AddComponentParameter(2, nameof(ListPager.Page), CurrentPage);
            builder.AddComponentParameter(3, nameof(ListPager.Total), GetFilteredItemsCount());
            builder.CloseComponent();
        };
    }

    /// <summary>
    /// Loads the current page again and redraws once, when it has come: a live update shows no loading bar, and the
    /// rows (each a component in MudTable) are not redrawn twice.
    /// </summary>
    public async Task RefreshAsync()
    {
        _refreshing = true;
        try
        {
            await ReloadServerData();
        }
        finally
        {
            _refreshing = false;
        }
    }

    /// <summary>Loads again from the first page, as a new search or filter should.</summary>
    public Task ReloadFromFirstPageAsync()
    {
        if (CurrentPage == 0)
        {
            return ReloadServerData();
        }

        NavigateTo(Page.First); // a new page loads itself
        return Task.CompletedTask;
    }

    protected override void OnInitialized()
    {
        base.OnInitialized();
        SetRowsPerPage(FirstRowsPerPage);
    }

    protected override async Task OnInitializedAsync()
    {
        await base.OnInitializedAsync();
        await Task.Yield(); // lets the first render happen: the sort labels register, so the first load sorts as they say
        await ReloadServerData();
    }

    protected override bool ShouldRender() => !(_refreshing && Loading);

    /// <summary>With no rows, MudTable shows the page's empty state; the table says so, and app.css hides its head and pager.</summary>
    protected override void BuildRenderTree(RenderTreeBuilder __builder)
    {
        var empty = CurrentPageItems?.Any() != true && (Loading ? LoadingContent : NoRecordsContent) is not null;
        Class = empty ? $"{ListClass} jk-table-empty" : ListClass;
        base.BuildRenderTree(__builder);
    }

    /// <summary>MudTable's own load after the first render would repeat the one above.</summary>
    protected override Task OnAfterRenderAsync(bool firstRender) => base.OnAfterRenderAsync(firstRender: false);
}

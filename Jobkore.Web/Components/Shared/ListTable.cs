using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Jobkore.Web.Components.Shared;

/// <summary>
/// <see cref="MudTable{T}"/> with <c>ServerData</c> as the list pages use it: outlined, 25 rows to a page with
/// <see cref="ListPager"/>, columns that sort one way or the other (never unsorted), and a row click that opens the row
/// rather than selecting it. One change of behaviour: MudTable first calls <c>ServerData</c> after its first
/// interactive render, which a prerendered page never has; this table loads right after its first render, on the
/// server's prerender as over the circuit, so the page's HTML carries the first page of rows.
/// </summary>
[CascadingTypeParameter(nameof(T))]
public sealed class ListTable<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T> : MudTable<T>
{
    private const int FirstRowsPerPage = 25;

    public ListTable()
    {
        Class = "jk-table";
        Elevation = 0;
        Outlined = true;
        Hover = true;
        AllowUnsorted = false;
        SelectOnRowClick = false;
        Breakpoint = Breakpoint.None;
        LoadingProgressColor = Color.Primary;
        PagerContent = builder =>
        {
            builder.OpenComponent<ListPager>(0);
            builder.CloseComponent();
        };
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

    /// <summary>MudTable's own load after the first render would repeat the one above.</summary>
    protected override Task OnAfterRenderAsync(bool firstRender) => base.OnAfterRenderAsync(firstRender: false);
}

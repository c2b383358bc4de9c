namespace Jobkore.Web.Components.Shared;

/// <summary>What a <see cref="SortHeader"/> needs from the table around it.</summary>
public interface ISortableTable
{
    string SortBy { get; }

    bool Descending { get; }

    Task SortAsync(string sortKey, bool defaultDescending);
}

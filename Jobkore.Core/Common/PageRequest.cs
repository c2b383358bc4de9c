namespace Jobkore.Core.Common;

/// <summary>One page of a list as a screen asks for it: zero-based page, free-text search and a sort column.</summary>
public sealed record PageRequest(int Page = 0, int PageSize = 25, string? Search = null, string? SortBy = null, bool Descending = false)
{
    public const int MaxPageSize = 200;

    internal int Skip => Math.Max(Page, 0) * Take;

    internal int Take => Math.Clamp(PageSize, 1, MaxPageSize);

    /// <summary>A LIKE pattern matching the search text anywhere, with LIKE's wildcards escaped; null when there is no search.</summary>
    internal string? ContainsPattern =>
        string.IsNullOrWhiteSpace(Search)
            ? null
            : "%" + Search.Trim().Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";

    internal const string LikeEscape = @"\";
}

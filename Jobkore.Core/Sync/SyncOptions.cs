using System.ComponentModel.DataAnnotations;

namespace Jobkore.Core.Sync;

/// <summary>When the daily auto-sync runs and how often the worker looks. Section "Sync".</summary>
public sealed class SyncOptions
{
    public const string SectionName = "Sync";

    /// <summary>The time of day, in each business's own time zone, when auto-sync sends waiting documents.</summary>
    public TimeOnly AutoSyncTimeOfDay { get; set; } = new(2, 0);

    /// <summary>Writes per batch request (QBO allows 30). 1 sends one request per record, the baseline the benchmark compares with.</summary>
    [Range(1, 30)]
    public int BatchSize { get; set; } = 30;

    /// <summary>
    /// Records a run loads and sends at a time: invoices (with their payments, clients and items), or payments, or
    /// clients and items. A run holds about three pages, so its memory does not grow with the backlog.
    /// </summary>
    [Range(1, 5_000)]
    public int PageSize { get; set; } = 500;

    /// <summary>How often the worker checks whether an auto-sync is due, when nothing wakes it earlier.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

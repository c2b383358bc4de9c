using System.ComponentModel.DataAnnotations;

namespace Jobkore.Core.Sync;

/// <summary>When the daily auto-sync runs, how often the worker looks for it and for requests, and how many businesses it syncs at once. Section "Sync".</summary>
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
    /// clients and items. A run holds at most six pages, so its memory does not grow with the backlog's records.
    /// </summary>
    [Range(1, 5_000)]
    public int PageSize { get; set; } = 500;

    /// <summary>How often the worker checks whether an auto-sync is due, when nothing wakes it earlier.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the worker looks for requested runs no worker is performing — asked of another app instance, left by
    /// one that stopped or died, or a retry whose time has come — and takes them on (docs/design.md §9); it also looks
    /// whenever a request or a run's end wakes it. So a request whose instance died waits at most about this long once
    /// its lease has expired.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ClaimInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many businesses' runs of every waiting document (Sync Now, auto-sync, retries) one process performs at
    /// once; the others wait their turn (docs/design.md §9). A run is I/O-bound: it spends nearly all its time waiting
    /// for QuickBooks, which paces each company to about 8 requests a second, so a run uses little CPU and 16 of them
    /// (some 130 requests a second in all) fit a 2-core machine with room for the web app. Runs of chosen invoices
    /// (Re-sync, Retry, Sync selected) are not counted against it: they have a lane of the same width beside it, so
    /// at most twice this many runs go on at once.
    /// </summary>
    [Range(1, 256)]
    public int MaxConcurrentBusinesses { get; set; } = 16;
}

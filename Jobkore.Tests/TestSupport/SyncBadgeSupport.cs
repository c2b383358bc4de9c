using AngleSharp.Dom;
using Bunit;
using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.TestSupport;

/// <summary>Sync records seeded straight into a component test's database, and the sync badges lists render from them.</summary>
internal static class SyncBadgeSupport
{
    /// <summary>
    /// Stores the sync record of one record of the current business with <paramref name="realmId"/>, as a run would
    /// leave it: <paramref name="outcome"/> gets the new record and the record's current content hash.
    /// </summary>
    public static async Task SeedSyncRecordAsync(this IServiceProvider services, string realmId, SyncEntityType type, int id, Action<SyncRecord, string> outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var ct = Xunit.TestContext.Current.CancellationToken;
        await using var scope = services.CreateAsyncScope();
        var business = scope.ServiceProvider.GetRequiredService<ICurrentBusiness>().Profile.Id;
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(ct);
        var hash = type switch
        {
            SyncEntityType.Client => await db.Clients.Where(c => c.Id == id).Select(c => EF.Property<string>(c, SyncHashProperty.Name)).SingleAsync(ct),
            SyncEntityType.CatalogItem => await db.CatalogItems.Where(i => i.Id == id).Select(i => EF.Property<string>(i, SyncHashProperty.Name)).SingleAsync(ct),
            SyncEntityType.Invoice => await db.Invoices.Where(i => i.Id == id).Select(i => EF.Property<string>(i, SyncHashProperty.Name)).SingleAsync(ct),
            SyncEntityType.Payment => await db.Payments.Where(p => p.Id == id).Select(p => EF.Property<string>(p, SyncHashProperty.Name)).SingleAsync(ct),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
        var record = new SyncRecord(business, realmId, type, id);
        outcome(record, hash);
        db.SyncRecords.Add(record);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A list rendered while QuickBooks is not connected has neither the QuickBooks column nor any badge.</summary>
    public static void ShouldShowNothingOfQuickBooks<TPage>(this IRenderedComponent<TPage> list)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        ArgumentNullException.ThrowIfNull(list);
        list.FindAll("th").ShouldNotContain(th => th.TextContent.Contains("QuickBooks", StringComparison.Ordinal));
        list.FindAll("[data-testid=sync-badge]").ShouldBeEmpty();
    }

    /// <summary>The sync badge in a list row: its status and its label for screen readers; nulls when the row has none.</summary>
    public static (string? Status, string? Label) Badge(IElement row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return (row.QuerySelector("[data-testid=sync-badge]")?.GetAttribute("data-sync-status"),
            row.QuerySelector("[data-testid=sync-badge] .mud-chip")?.GetAttribute("aria-label"));
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Jobkore.Core.Clients;
using Jobkore.Core.Data;
using Jobkore.Core.Invoices;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.SyncState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.TestSupport;

/// <summary>Steps many tests of the demo business take, on either side: a person in Jobkore, or the bookkeeper in QuickBooks.</summary>
internal static class QuickBooksAppSteps
{
    /// <summary>The name the demo's "Bob's Burgers" gets so it no longer clashes with the sandbox company's vendor of that name.</summary>
    public const string BobsBurgersRenamed = "Bob's Burgers (restaurant)";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The demo's "Bob's Burgers" shares its name with a vendor in the sandbox company; renamed, nothing fails.</summary>
    public static async Task RenameTheClientThatClashesAsync(this QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var bob = await db.Clients.SingleAsync(x => x.DisplayName == "Bob's Burgers", Ct);
        await scope.ServiceProvider.GetRequiredService<ClientService>().UpdateAsync(bob.Id, bob.Details with { DisplayName = BobsBurgersRenamed }, Ct);
    }

    /// <summary>Edits an invoice's memo in Jobkore, as its editor does, leaving its status as it is.</summary>
    public static async Task EditMemoAsync(this QuickBooksApp app, int invoiceId, string? memo)
    {
        await using var scope = app.SignedInScope();
        var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
        var draft = (await invoices.GetForEditAsync(invoiceId, Ct))!.Draft;
        await invoices.UpdateAsync(invoiceId, draft with { Memo = memo }, markSent: false, Ct);
    }

    /// <summary>The bookkeeper makes a product Jobkore sent inactive (or active again) in QuickBooks, through the API.</summary>
    public static async Task SetItemActiveInQuickBooksAsync(this QuickBooksApp app, int itemId, bool active)
    {
        await using var scope = app.SignedInScope();
        var company = await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().GetCompanyAsync(Ct);
        var qbo = scope.ServiceProvider.GetRequiredService<QboApiClient>();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var qboId = await db.SyncRecords.Where(r => r.EntityType == SyncEntityType.CatalogItem && r.EntityId == itemId).Select(r => r.QboId!).SingleAsync(Ct);
        var current = (await qbo.ReadAsync(company, "Item", qboId, Ct)).Item!;
        await qbo.UpdateAsync(company, "Item", new QboItem { Id = current.Id, SyncToken = current.SyncToken, Sparse = true, Active = active },
            "test-active-" + Guid.NewGuid().ToString("N"), Ct);
    }

    /// <summary>The bookkeeper sets the company's closing date in QuickBooks (null: none), as a user in the sandbox.</summary>
    public static Task<JsonObject> CloseBooksInQuickBooksAsync(this QuickBooksApp app, DateOnly? closingDate) =>
        app.AsQuickBooksUserAsync("preferences/update", new JsonObject
        {
            ["AccountingInfoPrefs"] = new JsonObject { ["BookCloseDate"] = closingDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
        });
}

using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Bench.Scenarios;

/// <summary>
/// Writes a workload straight into the business's database in a few large SaveChanges, through the domain types, so
/// every record carries the content hash the app keeps (no HTTP request per record; not part of any timing).
/// </summary>
internal static class DataGenerator
{
    private const int InvoicesPerSave = 1_000;
    /// <summary>Invoices are spread over the two years before this day.</summary>
    private static readonly DateOnly s_latest = new(2026, 11, 2);

    /// <summary>Adds the workload's records, named with <paramref name="prefix"/> so several workloads can share a business.</summary>
    public static async Task GenerateAsync(IServiceProvider services, BusinessProfile business, Workload workload, string prefix, CancellationToken cancellationToken)
    {
        await using var scope = services.GetRequiredService<IBusinessScopeFactory>().CreateScope(business);
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>();
        var now = TimeProvider.System.GetUtcNow();
        var random = new Random(workload.Invoices);

        List<Client> clients;
        List<CatalogItem> items;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            clients = [.. Enumerable.Range(1, workload.Clients).Select(i => new Client(business.Id,
                new ClientDetails($"{prefix} Client {i:00000}", $"{prefix} Client {i:00000} LLC", $"client{i}@example.com", "555-0100",
                    new PostalAddress($"{i} Main Street", null, "Springfield", "IL", "62701", "US")), now))];
            items = [.. Enumerable.Range(1, workload.Items).Select(i => new CatalogItem(business.Id,
                new CatalogItemDetails($"{prefix} Service {i:000}", $"Service number {i}", 25m + i, i % 2 == 0, true), now))];
            db.Clients.AddRange(clients);
            db.CatalogItems.AddRange(items);
            await db.SaveChangesAsync(cancellationToken);
        }

        for (var start = 0; start < workload.Invoices; start += InvoicesPerSave)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var n = start; n < Math.Min(start + InvoicesPerSave, workload.Invoices); n++)
            {
                var lines = Enumerable.Range(0, 1 + (n % 3)).Select(_ => items[random.Next(items.Count)])
                    .Select(item => new InvoiceLineDraft(item.Id, item.Name, 1 + random.Next(4), item.UnitPrice, item.Taxable)).ToArray();
                var issued = s_latest.AddDays(-(n % 730));
                var draft = new InvoiceDraft($"{prefix}-{n + 1:00000}", clients[n % clients.Count].Id, issued, issued.AddDays(30), 8m, null, lines);
                var invoice = new Invoice(business.Id, draft, now);
                invoice.MarkSent(now);
                if (n < workload.Payments)
                {
                    invoice.RecordPayment(10m, issued.AddDays(1), (PaymentMethod)(n % 4), $"REF-{n + 1}", now);
                }

                db.Invoices.Add(invoice);
            }

            await db.SaveChangesAsync(cancellationToken);
        }
    }
}

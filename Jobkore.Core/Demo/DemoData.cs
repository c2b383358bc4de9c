using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;

namespace Jobkore.Core.Demo;

/// <summary>
/// The demo business a new developer or evaluator sees: a plumbing company with clients whose names test the
/// awkward cases (apostrophes, ampersands, accents, a colon), a catalog, and 90 days of invoices in every state.
/// Deterministic: the same day gives the same records.
/// </summary>
internal static class DemoData
{
    public const string BusinessName = "Acme Plumbing & Heating";
    public const string Currency = "USD";
    public const string TimeZoneId = "America/Chicago";
    private const decimal TaxRatePercent = 8.25m;

    private static readonly (string Name, string? Company, string City)[] s_clients =
    [
        ("Maria O'Brien", null, "Springfield"),
        ("Smith & Sons Construction", "Smith & Sons Construction LLC", "Riverton"),
        ("Café Zoë", "Café Zoë Bistro", "Springfield"),
        ("Harbor Lofts: Unit 4", "Harbor Lofts HOA", "Bayside"),
        ("José Núñez", null, "Lakeview"),
        ("Greenleaf Property Management", "Greenleaf PM Inc.", "Springfield"),
        ("Dr. Aisha Khan", null, "Riverton"),
        ("Bob's Burgers", "Belcher Family Restaurants", "Bayside"),
        ("Lindqvist Dental", "Lindqvist Dental Group", "Lakeview"),
        ("Patel Residence", null, "Springfield"),
        ("Oakridge Elementary School", "Oakridge School District", "Oakridge"),
        ("Chen & Associates", "Chen & Associates CPA", "Riverton"),
        ("Müller Bakery", "Müller Bakery GmbH", "Lakeview"),
        ("Tom D'Angelo", null, "Bayside"),
        ("Sunrise Senior Living", "Sunrise Care Ltd.", "Springfield"),
        ("Riverside Church", null, "Riverton"),
        ("Élodie Fontaine", null, "Lakeview"),
        ("Northside Fitness", "Northside Fitness Co.", "Oakridge"),
        ("Kowalski Family", null, "Springfield"),
        ("Blue Door Café", null, "Bayside"),
        ("Grant Street Apartments", "GSA Holdings", "Riverton"),
        ("Yuki Tanaka", null, "Lakeview"),
        ("Hernández Auto Repair", "Hernández Auto", "Oakridge"),
        ("The Willow Inn", "Willow Hospitality", "Springfield"),
        ("Samuel O'Connor-Reyes", null, "Bayside"),
    ];

    private static readonly (string Name, string Description, decimal Price, bool Taxable)[] s_items =
    [
        ("Service call", "Trip charge and first half hour on site", 89.00m, false),
        ("Labor (per hour)", "Licensed plumber, per hour", 115.00m, false),
        ("Emergency labor (per hour)", "After hours, weekends and holidays", 172.50m, false),
        ("Drain cleaning", "Main line or branch drain, up to 100 ft", 245.00m, false),
        ("Water heater 50 gal (gas)", "Bradford White 50-gallon gas water heater", 1349.00m, true),
        ("Water heater installation", "Remove old unit, install, test, haul away", 650.00m, false),
        ("Furnace tune-up", "Annual inspection, clean and adjust", 129.00m, false),
        ("Thermostat (smart)", "Wi-Fi programmable thermostat", 189.99m, true),
        ("Faucet cartridge", "Replacement cartridge, most brands", 34.75m, true),
        ("PEX pipe (per ft)", "1/2\" PEX-A tubing", 1.85m, true),
        ("Garbage disposal 3/4 HP", "InSinkErator Evolution", 329.00m, true),
        ("Camera inspection", "Sewer line video inspection with recording", 199.00m, false),
    ];

    public sealed record Counts(int Clients, int Items, int Invoices, int Payments);

    public static async Task<Counts> SeedAsync(JobkoreDbContext db, BusinessProfile business, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var random = new Random(20261124);
        var now = timeProvider.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, business.TimeZone).DateTime);

        var clients = s_clients.Select((c, i) => new Client(
            business.Id,
            new ClientDetails(
                c.Name,
                c.Company,
                $"{Slug(c.Name)}@example.com",
                $"(555) {200 + i:000}-{1000 + (i * 37 % 9000):0000}",
                new PostalAddress($"{100 + (i * 17)} {Streets[i % Streets.Length]}", null, c.City, "IL", $"62{700 + i:000}", "USA")),
            now)).ToList();
        var items = s_items.Select(i => new CatalogItem(business.Id, new CatalogItemDetails(i.Name, i.Description, i.Price, i.Taxable, Active: true), now)).ToList();
        db.Clients.AddRange(clients);
        db.CatalogItems.AddRange(items);
        await db.SaveChangesAsync(cancellationToken);

        const int invoiceCount = 60;
        var invoices = new List<Invoice>(invoiceCount);
        var payments = 0;
        for (var n = 0; n < invoiceCount; n++)
        {
            var issued = today.AddDays(-89 + (n * 89 / (invoiceCount - 1)));
            var lines = Enumerable.Range(0, 1 + random.Next(4)).Select(_ =>
            {
                var item = items[random.Next(items.Count)];
                var quantity = item.Name.Contains("per ft", StringComparison.Ordinal) ? 10 * (1 + random.Next(8))
                    : item.Name.Contains("per hour", StringComparison.Ordinal) ? 0.5m * (1 + random.Next(8))
                    : 1;
                return new InvoiceLineDraft(item.Id, item.Description, quantity, item.UnitPrice, item.Taxable);
            }).ToList();
            if (n % 7 == 3)
            {
                lines.Add(new InvoiceLineDraft(null, "Parts from supply house (see receipt)", 1, 40 + random.Next(160) + 0.99m, Taxable: true));
            }

            var client = clients[(n * 7) % clients.Count];
            var memo = n % 5 == 0 ? "Thank you for your business!" : null;
            var invoice = new Invoice(business.Id, new InvoiceDraft($"INV-{1001 + n}", client.Id, issued, issued.AddDays(30), TaxRatePercent, memo, lines), now);

            // Older invoices are mostly paid; the last few days are still drafts.
            var age = today.DayNumber - issued.DayNumber;
            var isDraft = age < 6 && n % 2 == 0;
            if (!isDraft)
            {
                invoice.MarkSent(AtLocalTime(issued, new TimeOnly(16, 30), business.TimeZone));
            }

            if (n is 12 or 40)
            {
                invoice.Void(now.AddDays(-(age / 2)));
            }
            else if (!isDraft && age > 20 && n % 4 != 1)
            {
                invoice.RecordPayment(invoice.Balance, issued.AddDays(Math.Min(age, 3 + random.Next(25))), (PaymentMethod)random.Next(5), Reference(n), now);
                payments++;
            }
            else if (!isDraft && n % 3 == 0)
            {
                invoice.RecordPayment(Money.RoundToCents(invoice.Total / 2), issued.AddDays(Math.Min(age, 2)), PaymentMethod.Check, Reference(n), now);
                payments++;
            }

            invoices.Add(invoice);
        }

        db.Invoices.AddRange(invoices);
        await db.SaveChangesAsync(cancellationToken);
        return new Counts(clients.Count, items.Count, invoices.Count, payments);
    }

    private static readonly string[] Streets = ["Maple Ave", "Oak St", "Lakeshore Dr", "Elm St", "Cedar Ln", "Main St", "Pine Rd"];

    private static DateTimeOffset AtLocalTime(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static string Reference(int n) => n % 3 == 0 ? $"Check #{4100 + n}" : $"TXN-{90000 + (n * 113)}";

    private static string Slug(string name) =>
        new string(name.Normalize(System.Text.NormalizationForm.FormD).Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
}

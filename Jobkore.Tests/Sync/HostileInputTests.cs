using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Jobkore.Core.Catalog;
using Jobkore.Core.Clients;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Payments;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.QuickBooks.Queries;
using Jobkore.Core.Sync;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>
/// The hostile input corpus (issue 9): names, amounts, line counts, dates and numbers that a careless import or a
/// hostile user could enter. Each case is entered through the Core services, sent with Sync Now to the built-in
/// sandbox over HTTP, and its pages are fetched. Each case either syncs with QuickBooks matching, or is stopped with
/// a specific message before the push (a <see cref="DomainRuleException"/>, nothing stored) or after it (the record
/// Failed with a human message) — never a crash, a raw exception or unescaped markup on a page.
/// </summary>
public sealed class HostileInputTests(HostileInputFixture fixture) : IClassFixture<HostileInputFixture>
{
    private const string Realm = QuickBooksApp.AcmeRealm;
    private const string Script = "<script>alert(1)</script>";
    private static readonly DateOnly s_issued = new(2026, 3, 2);

    public enum Outcome
    {
        SyncedMatching,
        StoppedBeforePush,
        StoppedAfterPush,
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private QuickBooksApp App => fixture.App;

    public static TheoryData<string> Cases => new(s_cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileInput_SyncsMatchingOrStopsWithASpecificMessage(string name)
    {
        var hostile = s_cases.Single(c => c.Name == name);
        var order = Array.IndexOf(s_cases, hostile) + 1;
        await fixture.ResetAsync(Ct);
        var entry = new Entry(App, string.Create(CultureInfo.InvariantCulture, $"HX-{order:000}"));

        DomainRuleException? refused = null;
        try
        {
            await hostile.Enter(entry);
        }
        catch (DomainRuleException ex)
        {
            refused = ex;
        }

        string outcome;
        if (refused is not null)
        {
            outcome = $"stopped before push: {refused.Message}";
            fixture.Record(order, name, hostile.Input, outcome);
            hostile.Expected.ShouldBe(Outcome.StoppedBeforePush, outcome);
            refused.Message.ShouldBe(hostile.MessageFor(entry));
            refused.Field.ShouldNotBeNullOrWhiteSpace("the message belongs next to a field");
            await NothingElseStoredAsync(entry);
        }
        else
        {
            var run = await App.Services.GetRequiredService<SyncRuns>().RequestAsync(App.BusinessId, null, SyncTrigger.SyncNow);
            run.Outcome.ShouldBe(SyncRunOutcome.Completed, run.Message);
            var failures = await CheckQuickBooksAsync(entry);
            outcome = failures.Count == 0 ? "synced, matching" : $"stopped after push: {failures[0]}";
            TestContext.Current.TestOutputHelper?.WriteLine(string.Join(Environment.NewLine, failures));
            fixture.Record(order, name, hostile.Input, outcome);
            failures.ShouldAllBe(message => IsHuman(message), "a failure shows a message for people, not QuickBooks' or .NET's text");
            if (hostile.Expected == Outcome.SyncedMatching)
            {
                failures.ShouldBeEmpty(outcome);
            }
            else
            {
                hostile.Expected.ShouldBe(Outcome.StoppedAfterPush, outcome);
                failures[0].ShouldBe(hostile.MessageFor(entry));

                // Retry stops the same way: a refused record never turns into a link to the wrong QuickBooks record.
                (await App.Services.GetRequiredService<SyncRuns>().RequestAsync(App.BusinessId, null, SyncTrigger.SyncNow)).Outcome.ShouldBe(SyncRunOutcome.Completed);
                (await CheckQuickBooksAsync(entry)).ShouldBe(failures);
            }
        }

        await CheckPagesAsync();
    }

    // ---- The corpus ----

    private static readonly HostileCase[] s_cases =
    [
        // Names: QuickBooks refuses ':' tab and newline, and sees case, colons and runs of spaces as the same name.
        ClientName("Apostrophe in a client name", "Maeve O'Hara-Quinn", "Maeve O'Hara-Quinn"),
        ClientName("Double quotes in a client name", "The \"Best\" Plumbing", "The \"Best\" Plumbing"),
        ClientName("Colon in a client name", "Hale: Kitchen remodel", "Hale- Kitchen remodel"),
        ClientName("Tab in a client name", "Tab\tSeparated Co", "Tab Separated Co"),
        ClientName("Newline in a client name", "First line\nSecond line", "First line Second line"),
        ClientName("CR LF and no-break space in a client name", "Carriage\r\nReturn\u00A0Co", "Carriage Return Co"),
        ClientName("Emoji in a client name", "Drip Drop 🚰💧 Plumbing", "Drip Drop 🚰💧 Plumbing"),
        ClientName("Emoji joined by zero-width joiners", "👨‍👩‍👧 Family Home", "👨‍👩‍👧 Family Home"),
        ClientName("Right-to-left Arabic client name", "شركة السباكة الحديثة", "شركة السباكة الحديثة"),
        ClientName("Right-to-left Hebrew with digits", "אינסטלציה 24/7", "אינסטלציה 24/7"),
        ClientName("Right-to-left override character", "Invoice\u202Efdp.exe", "Invoice\u202Efdp.exe"),
        ClientName("Leading and trailing spaces", "   Padded Name   ", "Padded Name"),
        ClientName("Runs of inner spaces", "Wide    Gap   Co", "Wide Gap Co"),
        ClientName("Exactly 100 characters", new string('m', 100), new string('m', 100)),
        ClientRefused("600 characters", new string('a', 600), "Display name can be at most 100 characters."),
        ClientRefused("Only spaces", "      ", "Display name is required."),
        ClientRefused("Only tabs and newlines", "\t\n\r\n\t", "Display name is required."),
        ClientRefused("Only zero-width spaces", "\u200B\u200B\u200B", "Display name is required."),
        ClientRefused("Control characters in a client name", "Bell\u0007 Esc\u001B Co", "Display name contains a control character (U+0007). Remove it."),
        ClientRefused("Half an emoji (lone surrogate)", "Broken \uD83D emoji", "Display name contains half of a character (a broken emoji?). Type it again."),
        ClientName("Script tag as a client name", Script, Script),
        ClientName("Image with onerror as a client name", "<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
        ClientName("Attribute breakout in a client name", "\" onmouseover=\"alert(1)\" x=\"", "\" onmouseover=\"alert(1)\" x=\""),
        ClientName("HTML entities as text", "Tom &amp; Jerry &lt;b&gt;", "Tom &amp; Jerry &lt;b&gt;"),
        ClientName("SQL-looking client name", "Robert'); DROP TABLE Clients;--", "Robert'); DROP TABLE Clients;--"),
        ClientName("QuickBooks query injection", "x' OR DisplayName LIKE '%", "x' OR DisplayName LIKE '%"),
        ClientName("Backslashes and apostrophes", @"C:\Temp\'quoted\'", @"C-\Temp\'quoted\'"),
        new("Two clients the same name to QuickBooks", "'Duo: Smith' and 'duo- smith'", Outcome.StoppedAfterPush,
            "Another Jobkore client already goes to QuickBooks as 'Duo- Smith'. QuickBooks needs names that differ by more than case, colons and spaces: rename client 'duo- smith' in Jobkore, then retry.",
            async e =>
            {
                await e.InvoiceAsync(e.Draft(await e.ClientAsync("Duo: Smith"), Labor()));
                await e.InvoiceAsync(e.Draft(await e.ClientAsync("duo- smith"), Labor()) with { Number = e.Number + "B" });
            }),
        new("Client name taken by a QuickBooks vendor", "BOB'S BURGERS (vendor 'Bob's Burgers')", Outcome.StoppedAfterPush,
            "QuickBooks already has a vendor or employee named 'BOB'S BURGERS'. Rename the client in Jobkore or in QuickBooks, then retry.",
            async e => await e.InvoiceAsync(e.Draft(await e.ClientAsync("BOB'S BURGERS"), Labor()))),

        // Catalog item names, sent as QuickBooks item names.
        new("Colon and quotes in an item name", "Pipe 1/2\": copper", Outcome.SyncedMatching, null, async e =>
        {
            var item = await e.ItemAsync("Pipe 1/2\": copper");
            await e.InvoiceAsync(e.Draft(await e.ClientAsync("Item Colon Client"), new InvoiceLineDraft(item, null, 2, 12.5m, false)));
        }),
        new("Two items the same name to QuickBooks", "'Valve: brass' and 'valve- brass'", Outcome.StoppedAfterPush,
            "Another Jobkore catalog item already goes to QuickBooks as 'Valve- brass'. QuickBooks needs names that differ by more than case, colons and spaces: rename catalog item 'valve- brass' in Jobkore, then retry.",
            async e =>
            {
                var first = await e.ItemAsync("Valve: brass");
                var second = await e.ItemAsync("valve- brass");
                await e.InvoiceAsync(e.Draft(await e.ClientAsync("Valve Client"), new InvoiceLineDraft(first, null, 1, 40m, false), new InvoiceLineDraft(second, null, 1, 41m, false)));
            }),
        new("Item name of 101 characters", "'i' × 101", Outcome.StoppedBeforePush, "Name can be at most 100 characters.", e => e.ItemAsync(new string('i', 101))),

        // Amounts.
        Bill("Zero unit price", "1 × 0.00", Outcome.SyncedMatching, null, Line(1, 0m)),
        Bill("Negative unit price", "1 × -5.00", Outcome.StoppedBeforePush, "Line 1: unit price cannot be negative.", Line(1, -5m)),
        Bill("Negative quantity", "-2 × 10.00", Outcome.StoppedBeforePush, "Line 1: quantity cannot be negative.", Line(-2, 10m)),
        Bill("Unit price of half a cent", "1 × 0.005", Outcome.StoppedBeforePush, "Line 1: unit price can have at most 2 decimal places (cents).", Line(1, 0.005m)),
        Bill("Half-cent line amounts round away from zero", "0.5 × 0.01, 1.5 × 0.01, 2.5 × 0.01", Outcome.SyncedMatching, null,
            Line(0.5m, 0.01m), Line(1.5m, 0.01m), Line(2.5m, 0.01m)),
        new("Half-cent tax rounds away from zero", "5% tax on 0.10", Outcome.SyncedMatching, null,
            async e => await e.InvoiceAsync(e.Draft(await e.ClientAsync("Half Cent Tax"), Line(1, 0.10m, taxable: true)) with { TaxRatePercent = 5m })),
        new("Tax rate with four decimals", "8.875% tax on 99.99", Outcome.SyncedMatching, null,
            async e => await e.InvoiceAsync(e.Draft(await e.ClientAsync("Four Decimal Tax"), Line(1, 99.99m, taxable: true)) with { TaxRatePercent = 8.875m })),
        new("Tax rate over 100%", "150% tax", Outcome.StoppedBeforePush, "Tax rate can be at most 100%.",
            async e => await e.InvoiceAsync(e.Draft(await e.ClientAsync("Huge Tax"), Line(1, 10m, taxable: true)) with { TaxRatePercent = 150m })),
        Bill("Largest line QuickBooks accepts", "100 × 99,999,999.99 = 9,999,999,999.00", Outcome.SyncedMatching, null, Line(100, 99_999_999.99m)),
        Bill("Line amount over QuickBooks' 10 digits", "1,000,000 × 100,000,000.00", Outcome.StoppedBeforePush,
            "Line 1: the amount (quantity × unit price) can be at most 9,999,999,999.99, the most QuickBooks accepts on a line.", Line(1_000_000, 100_000_000m)),
        Payment("Payment of zero", "0.00 on a 100.00 invoice", 0m, Outcome.StoppedBeforePush, "Payment amount must be greater than zero."),
        Payment("Negative payment", "-20.00 on a 100.00 invoice", -20m, Outcome.StoppedBeforePush, "Payment amount must be greater than zero."),
        Payment("Payment of half a cent", "0.005 on a 100.00 invoice", 0.005m, Outcome.StoppedBeforePush, "Payment amount can have at most 2 decimal places (cents)."),
        Payment("Payment over the balance", "150.00 on a 100.00 invoice", 150m, Outcome.StoppedBeforePush, "The payment of 150.00 is more than the open balance of 100.00."),
        Payment("Payment of the whole balance", "100.00 on a 100.00 invoice", 100m, Outcome.SyncedMatching, null),
        Payment("Payment with markup in its reference", "40.00, reference <b>chk</b> #1 \"x\"", 40m, Outcome.SyncedMatching, null, reference: "<b>chk</b> #1 \"x\""),

        // Lines.
        Bill("One line", "1 × 80.00", Outcome.SyncedMatching, null, Line(1, 80m)),
        Bill("800 lines, none taxable", "800 × (1 × 1.25)", Outcome.SyncedMatching, null, [.. Enumerable.Range(1, 800).Select(i => Line(1, 1.25m, description: $"Part {i}"))]),
        Bill("800 lines, taxable", "800 × (1 × 1.25, taxable)", Outcome.StoppedBeforePush,
            "QuickBooks accepts at most 750 lines on an invoice with taxable lines; this one has 800. Split it into two invoices.",
            [.. Enumerate(800, i => Line(1, 1.25m, taxable: true, description: $"Taxed part {i}"))]),
        Bill("No lines", "0 lines", Outcome.StoppedBeforePush, "Add at least one line to the invoice."),
        Bill("Description of 4000 characters", "'d' × 4000", Outcome.SyncedMatching, null, Line(1, 5m, description: new string('d', 4000))),
        Bill("Description of 4001 characters", "'d' × 4001", Outcome.StoppedBeforePush, "Line 1: description can be at most 4000 characters.", Line(1, 5m, description: new string('d', 4001))),
        new("Script in the memo and a line description", $"memo and description {Script}", Outcome.SyncedMatching, null,
            async e => await e.InvoiceAsync(e.Draft(await e.ClientAsync("Memo Script Client"), Line(1, 9m, description: Script + " line")) with { Memo = Script + " memo" })),

        // Dates.
        Dated("Issue date in 1900", "issued 1900-01-01", new(1900, 1, 1), new(1900, 1, 31), Outcome.SyncedMatching, null),
        Dated("Due date in 2099", "issued 2099-12-01, due 2099-12-31", new(2099, 12, 1), new(2099, 12, 31), Outcome.SyncedMatching, null),
        Dated("Issue date in year 1", "issued 0001-01-01", DateOnly.MinValue, new(1, 1, 31), Outcome.StoppedBeforePush, "The issue date must be between 1900-01-01 and 2099-12-31."),
        Dated("Due date in year 9999", "issued 2026-03-02, due 9999-12-31", s_issued, DateOnly.MaxValue, Outcome.StoppedBeforePush, "The due date must be between 1900-01-01 and 2099-12-31."),
        Dated("Due date before the issue date", "issued 2026-03-02, due 2026-03-01", s_issued, s_issued.AddDays(-1), Outcome.StoppedBeforePush, "The due date cannot be before the issue date."),
        Payment("Payment dated in year 9999", "40.00 on 9999-12-31", 40m, Outcome.StoppedBeforePush, "The payment date must be between 1900-01-01 and 2099-12-31.", date: DateOnly.MaxValue),

        // Invoice numbers: QuickBooks' DocNumber (21 characters, unique).
        new("Duplicate invoice number", "HX-nnn twice", Outcome.StoppedBeforePush, "Invoice number {number} is already used by another invoice. Choose a different number.", async e =>
        {
            var client = await e.ClientAsync("Duplicate Number Client");
            await e.InvoiceAsync(e.Draft(client, Labor()));
            await e.InvoiceAsync(e.Draft(client, Labor()));
        }),
        new("Duplicate invoice number in other letter case", "HX-nnn and hx-nnn", Outcome.StoppedBeforePush, "Invoice number {lower-number} is already used by another invoice. Choose a different number.", async e =>
        {
            var client = await e.ClientAsync("Case Number Client");
            await e.InvoiceAsync(e.Draft(client, Labor()));
            await e.InvoiceAsync(e.Draft(client, Labor()) with { Number = e.Number.ToLowerInvariant() });
        }),
        new("Duplicate invoice number with spaces around", "HX-nnn and '  HX-nnn  '", Outcome.StoppedBeforePush, "Invoice number {number} is already used by another invoice. Choose a different number.", async e =>
        {
            var client = await e.ClientAsync("Spaced Number Client");
            await e.InvoiceAsync(e.Draft(client, Labor()));
            await e.InvoiceAsync(e.Draft(client, Labor()) with { Number = $"  {e.Number}  " });
        }),
        new("Invoice number already used in QuickBooks", "HX-nnn typed in QuickBooks for Maria O'Brien first", Outcome.StoppedAfterPush,
            "QuickBooks already has an invoice numbered {number} for Maria O'Brien of 42.00, which is not this invoice. Change the number in Jobkore, then retry.", async e =>
        {
            await e.QuickBooksInvoiceAsync("Maria O'Brien", 42m);
            await e.InvoiceAsync(e.Draft(await e.ClientAsync("Number Clash Client"), Labor()));
        }),
        Numbered("Invoice number of 21 characters", "N-123456789012345678X", Outcome.SyncedMatching, null),
        Numbered("Invoice number of 22 characters", "N-123456789012345678XY", Outcome.StoppedBeforePush, "Invoice number can be at most 21 characters."),
        Numbered("Apostrophe and quotes in an invoice number", "O'Neil \"7\"", Outcome.SyncedMatching, null),
        Numbered("Markup as an invoice number", "<i>HX</i>", Outcome.SyncedMatching, null),
        Numbered("Emoji in an invoice number", "🔧-2026-1", Outcome.SyncedMatching, null),
        Numbered("Newline in an invoice number", "HX\n2", Outcome.StoppedBeforePush, "Invoice number cannot contain tabs or line breaks."),
    ];

    private static HostileCase ClientName(string name, string displayName, string inQuickBooks) =>
        new(name, Show(displayName), Outcome.SyncedMatching, null,
            async e => await e.InvoiceAsync(e.Draft(await e.ClientAsync(displayName, inQuickBooks), Labor())));

    private static HostileCase ClientRefused(string name, string displayName, string message) =>
        new(name, Show(displayName), Outcome.StoppedBeforePush, message,
            async e => await e.InvoiceAsync(e.Draft(await e.ClientAsync(displayName), Labor())));

    private static HostileCase Bill(string name, string input, Outcome expected, string? message, params InvoiceLineDraft[] lines) =>
        new(name, input, expected, message, async e => await e.InvoiceAsync(e.Draft(await e.ClientAsync($"Client of {name}"), lines)));

    private static HostileCase Dated(string name, string input, DateOnly issued, DateOnly due, Outcome expected, string? message) =>
        new(name, input, expected, message,
            async e => await e.InvoiceAsync(e.Draft(await e.ClientAsync($"Client of {name}"), Labor()) with { IssueDate = issued, DueDate = due }));

    private static HostileCase Numbered(string name, string number, Outcome expected, string? message) =>
        new(name, Show(number), expected, message,
            async e => await e.InvoiceAsync(e.Draft(await e.ClientAsync($"Client of {name}"), Labor()) with { Number = number }));

    private static HostileCase Payment(string name, string input, decimal amount, Outcome expected, string? message, DateOnly? date = null, string? reference = null) =>
        new(name, input, expected, message, async e =>
        {
            var invoice = await e.InvoiceAsync(e.Draft(await e.ClientAsync($"Client of {name}"), Line(1, 100m)));
            await e.PaymentAsync(invoice, amount, date ?? s_issued.AddDays(3), reference);
        });

    private static InvoiceLineDraft Labor() => Line(2, 45m);

    private static InvoiceLineDraft Line(decimal quantity, decimal unitPrice, bool taxable = false, string description = "Labor") =>
        new(null, description, quantity, unitPrice, taxable);

    private static IEnumerable<InvoiceLineDraft> Enumerate(int count, Func<int, InvoiceLineDraft> line) => Enumerable.Range(1, count).Select(line);

    /// <summary>An input as the table shows it: control and invisible characters spelled out, long text shortened.</summary>
    private static string Show(string value)
    {
        if (value.Length > 60 && value.Distinct().Count() == 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"'{value[0]}' × {value.Length}");
        }

        var text = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var paired = char.IsSurrogatePair(value, i) || (i > 0 && char.IsSurrogatePair(value, i - 1));
            text.Append(c switch
            {
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                _ when char.IsControl(c) || (char.IsSurrogate(c) && !paired) || c is '\u00A0' or '\u200B' or '\u202E'
                    => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }

    // ---- Checks ----

    /// <summary>Refused: whatever the case entered before the refused step is all there is.</summary>
    private async Task NothingElseStoredAsync(Entry entry)
    {
        await using var scope = App.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        (await db.Clients.CountAsync(Ct)).ShouldBe(entry.Clients.Count);
        (await db.CatalogItems.CountAsync(Ct)).ShouldBe(entry.Items.Count);
        (await db.Invoices.CountAsync(Ct)).ShouldBe(entry.Invoices.Count);
        (await db.Payments.CountAsync(Ct)).ShouldBe(entry.Payments.Count);
    }

    /// <summary>
    /// Compares every record the case stored with what QuickBooks holds for it; returns the messages of the records
    /// that failed, clients first, then items, invoices and payments.
    /// </summary>
    private async Task<List<string>> CheckQuickBooksAsync(Entry entry)
    {
        await using var scope = App.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var records = await db.SyncRecords.AsNoTracking().Where(r => r.RealmId == Realm).ToDictionaryAsync(r => (r.EntityType, r.EntityId), Ct);
        var company = await App.SandboxAsync(Realm);
        var failures = new List<string>();

        JsonObject? InQuickBooks(SyncEntityType type, int id, string entity, string hash)
        {
            var record = records.GetValueOrDefault((type, id)).ShouldNotBeNull($"{type} {id} was not sent");
            if (record.Failed)
            {
                failures.Add(record.LastError.ShouldNotBeNull());
                return null;
            }

            SyncStatuses.Derive(record, hash).ShouldBe(SyncStatus.UpToDate, record.Warning);
            return QuickBooksApp.Rows(company, entity).Single(r => (string?)r["Id"] == record.QboId);
        }

        foreach (var client in await db.Clients.AsNoTracking().OrderBy(c => c.Id).ToListAsync(Ct))
        {
            if (InQuickBooks(SyncEntityType.Client, client.Id, "Customer", SyncContent.Hash(client)) is { } customer)
            {
                ((string?)customer["DisplayName"]).ShouldBe(QboNames.DisplayName(client.DisplayName));
                if (entry.ExpectedCustomerNames.TryGetValue(client.Id, out var expected))
                {
                    ((string?)customer["DisplayName"]).ShouldBe(expected);
                }
            }
        }

        foreach (var item in await db.CatalogItems.AsNoTracking().OrderBy(i => i.Id).ToListAsync(Ct))
        {
            if (InQuickBooks(SyncEntityType.CatalogItem, item.Id, "Item", SyncContent.Hash(item)) is { } qboItem)
            {
                ((string?)qboItem["Name"]).ShouldBe(QboNames.ItemName(item.Name));
                ((decimal?)qboItem["UnitPrice"]).ShouldBe(item.UnitPrice);
            }
        }

        foreach (var invoice in await db.Invoices.AsNoTracking().Include(i => i.Lines).OrderBy(i => i.Id).ToListAsync(Ct))
        {
            if (InQuickBooks(SyncEntityType.Invoice, invoice.Id, "Invoice", SyncContent.Hash(invoice)) is not { } qbo)
            {
                continue;
            }

            ((string?)qbo["DocNumber"]).ShouldBe(invoice.Number);
            ((string?)qbo["TxnDate"]).ShouldBe(invoice.IssueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            ((string?)qbo["DueDate"]).ShouldBe(invoice.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            ((string?)qbo["CustomerRef"]!["value"]).ShouldBe(records[(SyncEntityType.Client, invoice.ClientId)].QboId);
            ((decimal?)qbo["TotalAmt"]).ShouldBe(invoice.Total);
            ((decimal?)qbo["TxnTaxDetail"]!["TotalTax"]).ShouldBe(invoice.Tax);
            ((string?)qbo["CustomerMemo"]?["value"]).ShouldBe(invoice.Memo);
            var lines = qbo["Line"]!.AsArray().Select(l => l!.AsObject()).Where(l => (string?)l["DetailType"] == "SalesItemLineDetail").ToList();
            lines.Count.ShouldBe(invoice.Lines.Count);
            foreach (var (line, sent) in invoice.Lines.OrderBy(l => l.Position).Zip(lines))
            {
                ((decimal?)sent["Amount"]).ShouldBe(line.Amount, $"line {line.Position}");
                ((string?)sent["Description"]).ShouldBe(line.Description, $"line {line.Position}");
                ((decimal?)sent["SalesItemLineDetail"]!["Qty"]).ShouldBe(line.Quantity);
                ((decimal?)sent["SalesItemLineDetail"]!["UnitPrice"]).ShouldBe(line.UnitPrice);
                ((string?)sent["SalesItemLineDetail"]!["ItemRef"]?["value"]).ShouldBe(line.CatalogItemId is { } itemId ? records[(SyncEntityType.CatalogItem, itemId)].QboId : null);
            }
        }

        foreach (var payment in await db.Payments.AsNoTracking().OrderBy(p => p.Id).ToListAsync(Ct))
        {
            if (InQuickBooks(SyncEntityType.Payment, payment.Id, "Payment", SyncContent.Hash(payment)) is { } qbo)
            {
                ((decimal?)qbo["TotalAmt"]).ShouldBe(payment.Amount);
                ((string?)qbo["TxnDate"]).ShouldBe(payment.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                ((string?)qbo["PaymentRefNum"]).ShouldBe(payment.Reference);
                ((string?)qbo["Line"]![0]!["LinkedTxn"]![0]!["TxnId"]).ShouldBe(records[(SyncEntityType.Invoice, payment.InvoiceId)].QboId);
            }
        }

        return failures;
    }

    /// <summary>A message for people: no QuickBooks fault wording, no .NET exception text.</summary>
    private static bool IsHuman(string message) =>
        !string.IsNullOrWhiteSpace(message) && !s_rawWording.Any(raw => message.Contains(raw, StringComparison.Ordinal));

    private static readonly string[] s_rawWording = ["Exception", "Fault", "Business Validation Error", "Required param", "Invalid Reference Id", "   at "];

    /// <summary>
    /// The pages that show the case's records answer 200, show each stored text, and never carry markup from the
    /// input unescaped (a value with &lt;, &gt; or " never appears as it is in the HTML, only encoded).
    /// </summary>
    private async Task CheckPagesAsync()
    {
        await using var scope = App.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var clients = await db.Clients.AsNoTracking().Select(c => c.DisplayName).ToListAsync(Ct);
        var items = await db.CatalogItems.AsNoTracking().Select(i => i.Name).ToListAsync(Ct);
        var invoices = await db.Invoices.AsNoTracking().Include(i => i.Lines).Include(i => i.Client).ToListAsync(Ct);
        var references = await db.Payments.AsNoTracking().Where(p => p.Reference != null).Select(p => p.Reference!).ToListAsync(Ct);
        var pages = new List<(string Path, IEnumerable<string> Shown)>
        {
            ("/clients", clients),
            ("/catalog", items),
            ("/payments", references),
            ("/invoices", invoices.SelectMany(i => new[] { i.Number, i.Client!.DisplayName })),
        };
        pages.AddRange(invoices.Select(i => ($"/invoices/{i.Id}",
            (IEnumerable<string>)[i.Number, i.Client!.DisplayName, .. i.Memo is null ? Array.Empty<string>() : [i.Memo], .. i.Lines.Select(l => l.Description).Where(d => d.Length > 0).Take(50)])));

        using var http = App.Client();
        foreach (var (path, shown) in pages)
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), Ct);
            var html = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            var text = WebUtility.HtmlDecode(html);
            foreach (var value in shown.Distinct())
            {
                text.ShouldContain(value, Case.Sensitive, $"{path} shows {Show(value)}");
                if (value.IndexOfAny(['<', '>', '"']) >= 0)
                {
                    html.ShouldNotContain(value, Case.Sensitive, $"{path} renders {Show(value)} unescaped");
                }
            }

            html.ShouldNotContain(Script, Case.Sensitive, path);
        }
    }

    // ---- Entering a case's records ----

    /// <summary>What a case runs: its records entered through the Core services, as the forms do.</summary>
    private sealed record HostileCase(string Name, string Input, Outcome Expected, string? Message, Func<Entry, Task> Enter)
    {
        /// <summary>The expected message, with the case's invoice number for <c>{number}</c> (<c>{lower-number}</c> in lower case).</summary>
        public string? MessageFor(Entry entry) =>
            Message?.Replace("{number}", entry.Number, StringComparison.Ordinal).Replace("{lower-number}", entry.Number.ToLowerInvariant(), StringComparison.Ordinal);
    }

    /// <summary>Enters records through ClientService, CatalogService, InvoiceService and PaymentService; remembers what was stored.</summary>
    private sealed class Entry(QuickBooksApp app, string number)
    {
        /// <summary>This case's invoice number.</summary>
        public string Number { get; } = number;

        public List<int> Clients { get; } = [];

        public List<int> Items { get; } = [];

        public List<int> Invoices { get; } = [];

        public List<int> Payments { get; } = [];

        /// <summary>The QuickBooks name a case expects for a client, spelled out rather than computed.</summary>
        public Dictionary<int, string> ExpectedCustomerNames { get; } = [];

        public InvoiceDraft Draft(int clientId, params InvoiceLineDraft[] lines) => new(Number, clientId, s_issued, s_issued.AddDays(30), 0m, null, lines);

        public async Task<int> ClientAsync(string displayName, string? inQuickBooks = null)
        {
            await using var scope = app.SignedInScope();
            var id = await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(new ClientDetails(displayName, null, null, null, PostalAddress.Empty), Ct);
            Clients.Add(id);
            if (inQuickBooks is not null)
            {
                ExpectedCustomerNames[id] = inQuickBooks;
            }

            return id;
        }

        public async Task<int> ItemAsync(string name)
        {
            await using var scope = app.SignedInScope();
            var id = await scope.ServiceProvider.GetRequiredService<CatalogService>().CreateAsync(new CatalogItemDetails(name, null, 10m, false, true), Ct);
            Items.Add(id);
            return id;
        }

        /// <summary>Saves the invoice as sent, so Sync Now sends it (drafts stay in Jobkore).</summary>
        public async Task<int> InvoiceAsync(InvoiceDraft draft)
        {
            await using var scope = app.SignedInScope();
            var id = await scope.ServiceProvider.GetRequiredService<InvoiceService>().CreateAsync(draft, markSent: true, Ct);
            Invoices.Add(id);
            return id;
        }

        public async Task PaymentAsync(int invoiceId, decimal amount, DateOnly date, string? reference)
        {
            await using var scope = app.SignedInScope();
            Payments.Add(await scope.ServiceProvider.GetRequiredService<PaymentService>().RecordAsync(invoiceId, new PaymentEntry(amount, date, PaymentMethod.Check, reference), Ct));
        }

        /// <summary>An invoice typed straight into QuickBooks with this case's number, for one of its seeded customers.</summary>
        public async Task QuickBooksInvoiceAsync(string customer, decimal amount)
        {
            await using var scope = app.SignedInScope();
            var company = await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionService>().GetCompanyAsync(Ct);
            var qbo = scope.ServiceProvider.GetRequiredService<QboApiClient>();
            var customers = await qbo.QueryAsync(company, QboQuery.SelectAll("Customer").Where("DisplayName", "=", customer), Ct);
            var customerId = customers.Customer!.Single().Id!;
            await qbo.CreateAsync(company, "Invoice", new QboInvoice
            {
                DocNumber = Number,
                CustomerRef = new QboRef(customerId),
                Line = [new QboLine { DetailType = "SalesItemLineDetail", Amount = amount, SalesItemLineDetail = new QboSalesItemLineDetail() }],
            }, "hostile-" + Guid.NewGuid().ToString("N"), Ct);
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobkore.Core.Businesses;
using Jobkore.Core.Catalog;
using Jobkore.Core.Clients;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Payments;
using Jobkore.Core.Sync;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>
/// Jobkore scaled out: three app instances (processes of their own, real Kestrel) on one PostgreSQL database and one
/// shared QuickBooks sandbox process, three businesses, people working in pages on different instances — and one
/// instance killed with SIGKILL in the middle of a run. Afterwards the bookkeeper's question is asked of every business:
/// does QuickBooks hold exactly what Jobkore shows as up to date, every document once, with nothing waiting or half-sent?
/// The surviving instances' pages show the final badges without reloading, and the killed instance's run is taken over.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait(DatabaseTraits.Name, DatabaseTraits.PostgreSqlOnly)]
public sealed partial class MultiInstanceTests(BrowserFixture fixture) : IAsyncLifetime
{
    private const string AcmeRealm = QuickBooksApp.AcmeRealm;
    private const string SecondRealm = QuickBooksApp.SecondRealm;
    private const string ThirdRealm = "9341452713218476"; // the sandbox's first extra company (QuickBooks:ExtraCompanies)
    private const int ThirdBusinessInvoices = 120;
    private static readonly TimeSpan s_converged = TimeSpan.FromMinutes(5);
    private readonly string _folder = Directory.CreateTempSubdirectory("jobkore-multi-instance-").FullName;
    private readonly List<AppInstanceProcess> _instances = [];
    private SandboxProcess? _sandbox;
    private TestDatabase? _db;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }

        TestDatabaseServer.Drop(_folder);
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ThreeInstances_OneKilledMidRun_EveryDocumentOnceInQuickBooks_TheSurvivorsShowTheFinalBadgesLive_AndTakeOverItsRun()
    {
        TestDatabaseServer.IsPostgreSql.ShouldBeTrue($"This test runs in ./test.sh's PostgreSQL pass ({TestDatabaseServer.ProviderVariable}=PostgreSql).");
        _sandbox = await SandboxProcess.StartAsync(_folder, new Dictionary<string, string?> { ["QuickBooks:ExtraCompanies"] = "1" }, Ct);
        var settings = new Dictionary<string, string?>
        {
            ["QuickBooks:Environment"] = "BuiltInSandbox",
            ["QuickBooks:BuiltInSandbox:Url"] = _sandbox.BaseUrl.AbsoluteUri,
            ["Logging:LogLevel:Default"] = "Warning",

            // Small batches, so Contoso's invoices land in several waves and A can be killed between them.
            ["Sync:BatchSize"] = "5",
        };

        // A first creates the database's business and demo records; B and C start beside it.
        var a = await StartInstanceAsync("A", settings);
        var started = await Task.WhenAll(StartInstanceAsync("B", settings), StartInstanceAsync("C", settings));
        var (b, c) = (started[0], started[1]);
        _db = await TestDatabase.CreateAsync(folder: _folder);
        var acme = _db.Business;
        await RenameTheClientThatClashesAsync(acme);
        var second = await SeedBusinessAsync("Northwind Heating", invoices: 30);
        var third = await SeedBusinessAsync("Contoso Electric", ThirdBusinessInvoices);
        var before = new Dictionary<string, JsonObject>
        {
            [AcmeRealm] = await _sandbox.CompanyAsync(AcmeRealm, Ct),
            [SecondRealm] = await _sandbox.CompanyAsync(SecondRealm, Ct),
            [ThirdRealm] = await _sandbox.CompanyAsync(ThirdRealm, Ct),
        };
        await ConnectAsync(a, acme, AcmeRealm);
        await ConnectAsync(b, second, SecondRealm);
        await ConnectAsync(c, third, ThirdRealm);

        // Acme's invoices watched on B; Acme synced from C's card: B's badges turn green live, though B did nothing.
        var acmeOnB = await OpenAsync(b, acme, "Sam Chen", admin: false, "/invoices");
        var acmeCardOnC = await OpenAsync(c, acme, "Dana Rivera", admin: true, "/settings/integrations");
        await Expect(acmeOnB.Locator("[data-sync-status=NotSynced]").First).ToBeVisibleAsync();
        await acmeCardOnC.GetByTestId("sync-now").ClickAsync();
        await ExpectEverySentInvoiceUpToDateAsync(acmeOnB);

        // An edit on C shows on B as edited since the last sync.
        var (invoiceId, number) = await FirstSentInvoiceAsync(acmeOnB);
        var editorOnC = await OpenAsync(c, acme, "Dana Rivera", admin: true, $"/invoices/{invoiceId}/edit");
        await editorOnC.GetByLabel("Memo").FillAsync("Gate code 4711; edited on instance C.");
        await editorOnC.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await editorOnC.WaitForPathAsync($"/invoices/{invoiceId}");
        await Expect(RowOf(acmeOnB, number).Locator("[data-sync-status=Edited]")).ToBeVisibleAsync();

        // Contoso's large first sync is asked for on A, and QuickBooks answers slowly so it is still going when A is killed;
        // Contoso's list is watched on C. Meanwhile Northwind syncs from a page on B and Acme's edit from C.
        var contosoOnC = await OpenAsync(c, third, "Olga Berg", admin: false, "/invoices");
        await _sandbox.SetLatencyAsync(ThirdRealm, 1500, Ct);
        var contosoCardOnA = await OpenAsync(a, third, "Olga Berg", admin: true, "/settings/integrations");
        var watch = Stopwatch.StartNew();
        await contosoCardOnA.GetByTestId("sync-now").ClickAsync();
        var northwindCardOnB = await OpenAsync(b, second, "Ines Park", admin: true, "/settings/integrations");
        await northwindCardOnB.GetByTestId("sync-now").ClickAsync();
        await acmeCardOnC.GetByTestId("sync-now").ClickAsync();

        await WaitUntilSentAsync(ThirdRealm, "Invoice", atLeast: 1, before[ThirdRealm]);
        (await LeaseHolderAsync(third)).ShouldBe(a.Name, "Contoso's run, asked for on A, is performed by A");
        a.Kill();
        var killedAt = watch.Elapsed;
        var sentBeforeKill = QuickBooksApp.Rows(await _sandbox.CompanyAsync(ThirdRealm, Ct), "Invoice").Count - QuickBooksApp.Rows(before[ThirdRealm], "Invoice").Count;
        sentBeforeKill.ShouldBeLessThan(ThirdBusinessInvoices, "A was killed in the middle of Contoso's run, with invoices still to send");
        await _sandbox.ClearFaultsAsync(Ct);

        // B or C takes Contoso's run over once A's lease has expired; every business converges.
        await WaitUntilConvergedAsync([acme, second, third]);
        var convergedAt = watch.Elapsed;

        // The run asked for on A was performed by B or C.
        var takenOverBy = await PerformerOfAsync(third, SyncTrigger.SyncNow);
        takenOverBy.ShouldNotBe(a.Name);

        // The survivors' pages show the final badges without being reloaded.
        await ExpectEverySentInvoiceUpToDateAsync(contosoOnC);
        await ExpectEverySentInvoiceUpToDateAsync(acmeOnB);
        await Expect(RowOf(acmeOnB, number).Locator("[data-sync-status=UpToDate]")).ToBeVisibleAsync();

        var rows = new List<Row>();
        foreach (var (business, realm) in new[] { (acme, AcmeRealm), (second, SecondRealm), (third, ThirdRealm) })
        {
            rows.Add(await CheckAsync(business, realm, before[realm]));
        }

        await WriteTableAsync(rows, sentBeforeKill, killedAt, convergedAt, takenOverBy);
        rows.ShouldAllBe(r => r.Duplicates == 0 && r.Mismatches.Count == 0 && r.Waiting == 0 && r.Unanswered == 0,
            string.Join('\n', rows.SelectMany(r => r.Mismatches.Take(10).Select(m => $"{r.Business}: {m}"))));
        rows.Single(r => r.Business == third.Name).Documents.ShouldBeGreaterThan(ThirdBusinessInvoices);
    }

    private async Task<AppInstanceProcess> StartInstanceAsync(string name, Dictionary<string, string?> settings)
    {
        var instance = await AppInstanceProcess.StartAsync(name, _folder, settings, Ct);
        lock (_instances)
        {
            _instances.Add(instance);
        }

        return instance;
    }

    private async Task<IPage> OpenAsync(AppInstanceProcess instance, BusinessProfile business, string user, bool admin, string path)
    {
        var page = await fixture.NewPageOnAsync(instance.BaseAddress, QuickBooksApp.SignInHeaders(user, admin, business.Id));
        await page.OpenAsync(path);
        return page;
    }

    /// <summary>Every invoice row but drafts (which never sync) shows the green check, and none the red X.</summary>
    private static async Task ExpectEverySentInvoiceUpToDateAsync(IPage page)
    {
        var sent = page.Locator("tbody tr").Filter(new() { HasNot = page.GetByText("Draft", new() { Exact = true }) });
        await Expect(sent.First).ToBeVisibleAsync();
        await Expect(sent.Locator("[data-sync-status=UpToDate]")).ToHaveCountAsync(await sent.CountAsync(), new() { Timeout = (float)s_converged.TotalMilliseconds });
        await Expect(page.Locator("[data-sync-status=Failed]")).ToHaveCountAsync(0);
    }

    private static ILocator RowOf(IPage page, string number) =>
        page.Locator("tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = number, Exact = true }) });

    private static async Task<(int Id, string Number)> FirstSentInvoiceAsync(IPage page)
    {
        var link = page.Locator("tbody tr").Filter(new() { Has = page.Locator("[data-sync-status=UpToDate]") })
            .Filter(new() { Has = page.GetByText("Sent", new() { Exact = true }) }).First.Locator("a.jk-link");
        var id = int.Parse((await link.GetAttributeAsync("href"))!.Split('/')[^1], CultureInfo.InvariantCulture);
        return (id, (await link.TextContentAsync())!.Trim());
    }

    /// <summary>The demo's "Bob's Burgers" shares its name with a vendor in the sandbox's Acme company; renamed, nothing fails.</summary>
    private async Task RenameTheClientThatClashesAsync(BusinessProfile business)
    {
        await using var scope = _db!.CreateScope(business);
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var bob = await db.Clients.SingleAsync(x => x.DisplayName == "Bob's Burgers", Ct);
        await scope.Get<ClientService>().UpdateAsync(bob.Id, bob.Details with { DisplayName = "Bob's Burgers (restaurant)" }, Ct);
    }

    /// <summary>A business with clients, items, sent invoices and payments on some of them.</summary>
    private async Task<BusinessProfile> SeedBusinessAsync(string name, int invoices)
    {
        var business = await _db!.AddBusinessAsync(name);
        await using var scope = _db.CreateScope(business);
        var clients = new List<int>();
        for (var i = 1; i <= Math.Max(3, invoices / 4); i++)
        {
            clients.Add(await scope.Get<ClientService>().CreateAsync(Drafts.Client($"{name} Client {i:000}"), Ct));
        }

        var items = new List<int>();
        for (var i = 1; i <= 6; i++)
        {
            items.Add(await scope.Get<CatalogService>().CreateAsync(new CatalogItemDetails($"{name} Service {i}", null, 20m * i, i % 2 == 0, true), Ct));
        }

        for (var i = 1; i <= invoices; i++)
        {
            var item = items[i % items.Count];
            var id = await scope.Get<InvoiceService>().CreateAsync(
                Drafts.Invoice(clients[i % clients.Count], $"{name[..2].ToUpperInvariant()}-{i:0000}", 8m,
                    new InvoiceLineDraft(item, $"{name} Service {(i % items.Count) + 1}", 1 + (i % 3), 20m * ((i % items.Count) + 1), (i % 2) == 0)),
                markSent: true, Ct);
            if (i % 3 == 0)
            {
                await scope.Get<PaymentService>().RecordAsync(id, new PaymentEntry(10m, Drafts.Issued.AddDays(1), PaymentMethod.Check, $"CHK-{i}"), Ct);
            }
        }

        return business;
    }

    /// <summary>As <paramref name="business"/>'s admin on <paramref name="instance"/>: Connect QuickBooks → the sandbox's consent page → its redirect back.</summary>
    private static async Task ConnectAsync(AppInstanceProcess instance, BusinessProfile business, string realmId)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = instance.BaseAddress };
        foreach (var (header, value) in QuickBooksApp.SignInHeaders("Admin", admin: true, business.Id))
        {
            client.DefaultRequestHeaders.Add(header, value);
        }

        using var start = await client.GetAsync(new Uri("/integrations/quickbooks/connect", UriKind.Relative), Ct);
        start.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var authorize = new Uri(instance.BaseAddress, start.Headers.Location!);
        var consent = await client.GetStringAsync(authorize, Ct);
        var form = HiddenInput().Matches(consent).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        form["realmId"] = realmId;
        form["decision"] = "connect";
        var action = new Uri(authorize, WebUtility.HtmlDecode(FormAction().Match(consent).Groups[1].Value));
        using var answer = await client.PostAsync(action, new FormUrlEncodedContent(form), Ct);
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var landed = await client.GetAsync(answer.Headers.Location!, Ct);
        landed.Headers.Location!.OriginalString.ShouldBe("/settings/integrations?quickbooks=connected");
    }

    /// <summary>Waits until QuickBooks holds at least <paramref name="atLeast"/> new records of <paramref name="entity"/>; returns how many.</summary>
    private async Task<int> WaitUntilSentAsync(string realmId, string entity, int atLeast, JsonObject before)
    {
        var seeded = QuickBooksApp.Rows(before, entity).Count;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        while (true)
        {
            var sent = QuickBooksApp.Rows(await _sandbox!.CompanyAsync(realmId, timeout.Token), entity).Count - seeded;
            if (sent >= atLeast)
            {
                return sent;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>Waits until no business has a document waiting or a run request unanswered.</summary>
    private async Task WaitUntilConvergedAsync(IReadOnlyList<BusinessProfile> businesses)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var open = new List<string>();
            foreach (var business in businesses)
            {
                var (waiting, unanswered, _) = await StateAsync(business);
                if (waiting + unanswered > 0)
                {
                    open.Add($"{business.Name}: {waiting} waiting or failed, {unanswered} run requests unanswered");
                }
            }

            if (open.Count == 0)
            {
                return;
            }

            deadline.Elapsed.ShouldBeLessThan(s_converged, $"Not converged after {s_converged.TotalMinutes:0} minutes: " + string.Join("; ", open));
            await Task.Delay(500, Ct);
        }
    }

    /// <summary>What still waits in Jobkore, the run requests not answered, and the QuickBooks writes not answered (the journal).</summary>
    private async Task<(int Waiting, int Unanswered, int InDoubt)> StateAsync(BusinessProfile business)
    {
        await using var scope = _db!.CreateScope(business);
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var connection = await db.QuickBooksConnections.AsNoTracking().SingleAsync(Ct);
        var pending = await scope.Get<SyncStatuses>().PendingCountAsync(connection.RealmId, Ct);
        var unanswered = await db.SyncRequests.IgnoreQueryFilters().CountAsync(r => r.BusinessId == business.Id && r.FinishedAt == null, Ct);
        var inDoubt = await db.SyncJournal.CountAsync(Ct);
        return (pending.Waiting + pending.Failed, unanswered, inDoubt);
    }

    /// <summary>The instance holding the business's sync lease now (the holder names the process); null when none does.</summary>
    private async Task<string?> LeaseHolderAsync(BusinessProfile business)
    {
        await using var scope = _db!.CreateScope(business);
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var lease = await db.SyncLeases.AsNoTracking().SingleOrDefaultAsync(l => l.BusinessId == business.Id, Ct);
        return lease is null ? null : InstanceOf(lease.Holder);
    }

    private string InstanceOf(string? holder) =>
        _instances.SingleOrDefault(i => holder?.Contains($":{i.ProcessId}:", StringComparison.Ordinal) == true)?.Name
        ?? throw new ShouldAssertException($"{holder} is none of the instances.");

    /// <summary>The instance whose worker performed the business's last request of <paramref name="trigger"/> (the holder names the process).</summary>
    private async Task<string> PerformerOfAsync(BusinessProfile business, SyncTrigger trigger)
    {
        await using var scope = _db!.CreateScope(business);
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var request = await db.SyncRequests.IgnoreQueryFilters().AsNoTracking()
            .Where(r => r.BusinessId == business.Id && r.Trigger == trigger.ToString()).OrderByDescending(r => r.Id).FirstAsync(Ct);
        request.Outcome.ShouldBe(nameof(SyncRunOutcome.Completed));
        return InstanceOf(request.ClaimedBy);
    }

    private async Task<Row> CheckAsync(BusinessProfile business, string realmId, JsonObject before)
    {
        var company = await _sandbox!.CompanyAsync(realmId, Ct);
        await using var scope = _db!.CreateScope(business);
        var mismatches = await QuickBooksOracle.MismatchesAsync(scope.ServiceProvider, company, realmId, Ct);
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var linked = (await db.SyncRecords.AsNoTracking().Where(r => r.RealmId == realmId && r.QboId != null).Select(r => r.QboId!).ToListAsync(Ct)).ToHashSet();

        // A record QuickBooks holds that was not there before the sync and that no Jobkore record links: sent twice.
        var duplicates = 0;
        var documents = 0;
        foreach (var entity in (string[])["Customer", "Item", "Invoice", "Payment"])
        {
            var seeded = QuickBooksApp.Rows(before, entity).Select(r => (string)r["Id"]!).ToHashSet();
            var created = QuickBooksApp.Rows(company, entity).Select(r => (string)r["Id"]!).Where(id => !seeded.Contains(id)).ToList();
            documents += created.Count;
            duplicates += created.Count(id => !linked.Contains(id));
        }

        var (waiting, unanswered, inDoubt) = await StateAsync(business);
        return new Row(business.Name, documents, duplicates, mismatches, waiting, unanswered + inDoubt);
    }

    private static async Task WriteTableAsync(IReadOnlyList<Row> rows, int sentBeforeKill, TimeSpan killedAt, TimeSpan convergedAt, string takenOverBy)
    {
        var table = new StringBuilder()
            .AppendLine("## Several app instances, one killed mid-run (multi-instance test, PostgreSQL)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"3 app instances (processes), one PostgreSQL database, one sandbox process. Instance A was killed with SIGKILL {killedAt.TotalSeconds:0.0} s after Contoso's Sync Now on it, with {sentBeforeKill} of its {ThirdBusinessInvoices} invoices in QuickBooks; instance {takenOverBy} took the run over once A's lease had expired ({SyncLeases.Duration.TotalMinutes:0} min), and every business had converged {convergedAt.TotalSeconds:0.0} s after that Sync Now.")
            .AppendLine()
            .AppendLine("| Business | Instances | Documents in QuickBooks | Duplicates | Mismatches (field by field) | Waiting | Unanswered requests and writes |")
            .AppendLine("|---|--:|--:|--:|--:|--:|--:|");
        foreach (var row in rows)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {row.Business} | 3 | {row.Documents} | {row.Duplicates} | {row.Mismatches.Count} | {row.Waiting} | {row.Unanswered} |");
        }

        var path = Path.Combine(RepositoryPaths.Root, "artifacts", "multi-instance.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, table.ToString(), Ct);
        TestContext.Current.TestOutputHelper?.WriteLine(table.ToString());
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\">")]
    private static partial Regex FormAction();

    private sealed record Row(string Business, int Documents, int Duplicates, IReadOnlyList<string> Mismatches, int Waiting, int Unanswered);
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>A sandbox kept in a SQLite file (issue rule 14): a restart keeps records, tokens and requestid answers.</summary>
public sealed class SandboxPersistenceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("jobkore-sandbox-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class FileSandboxHost(string path) : SandboxHost
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("QuickBooks:DatabasePath", path)];
    }

    [Fact]
    public async Task Restart_KeepsRecordsTokensAndRequestIdAnswers()
    {
        var path = Path.Combine(_folder, "qbo-sandbox.db");
        string access, customerId;
        var first = new FileSandboxHost(path);
        await first.InitializeAsync();
        try
        {
            (access, _) = await first.ConnectAsync();
            var created = await first.ApiAsync(access, HttpMethod.Post, SandboxHost.AcmeRealm, "customer?requestid=persist-1", new { DisplayName = "Persistent Customer" });
            customerId = created.Body["Customer"]!["Id"]!.GetValue<string>();
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = new FileSandboxHost(path);
        await second.InitializeAsync();
        try
        {
            var read = await second.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, $"customer/{customerId}");
            var replay = await second.ApiAsync(access, HttpMethod.Post, SandboxHost.AcmeRealm, "customer?requestid=persist-1", new { DisplayName = "Persistent Customer" });
            var next = await second.ApiAsync(access, HttpMethod.Post, SandboxHost.AcmeRealm, "customer?requestid=persist-2", new { DisplayName = "Second Customer" });

            read.Status.ShouldBe(HttpStatusCode.OK);
            read.Body["Customer"]!["DisplayName"]!.GetValue<string>().ShouldBe("Persistent Customer");
            replay.Body["Customer"]!["Id"]!.GetValue<string>().ShouldBe(customerId);
            int.Parse(next.Body["Customer"]!["Id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(int.Parse(customerId, System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task Restart_KeepsAutomatedSalesTaxSwitchedOn_AndTheClosingDate()
    {
        var path = Path.Combine(_folder, "qbo-sandbox.db");
        string access;
        var first = new FileSandboxHost(path);
        await first.InitializeAsync();
        try
        {
            (access, _) = await first.ConnectAsync();
            using var response = await first.Http.PostAsJsonAsync($"{SandboxHost.BasePath}/_sandbox/companies/{SandboxHost.AcmeRealm}/user/preferences/update",
                new { TaxPrefs = new { PartnerTaxEnabled = true }, AccountingInfoPrefs = new { BookCloseDate = "2026-09-30" } }, new System.Text.Json.JsonSerializerOptions(),
                TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = new FileSandboxHost(path);
        await second.InitializeAsync();
        try
        {
            var preferences = await second.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, "preferences");
            preferences.Body["Preferences"]!["TaxPrefs"]!["PartnerTaxEnabled"]!.GetValue<bool>().ShouldBeTrue();
            preferences.Body["Preferences"]!["AccountingInfoPrefs"]!["BookCloseDate"]!.GetValue<string>().ShouldBe("2026-09-30");
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task Restart_KeepsTombstonesOfDeletedTransactionsForChangeDataCapture_AndDropsThemAfter30Days()
    {
        var path = Path.Combine(_folder, "qbo-sandbox.db");
        string access, firstInvoice, laterInvoice;
        var first = new FileSandboxHost(path);
        await first.InitializeAsync();
        try
        {
            (access, _) = await first.ConnectAsync();
            firstInvoice = await DeletedInvoiceAsync(first, access);
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = new FileSandboxHost(path);
        await second.InitializeAsync();
        try
        {
            var changedSince = Uri.EscapeDataString(TestSupport.TestServices.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            var (_, cdc, _) = await second.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, $"cdc?entities=Invoice&changedSince={changedSince}");
            var invoice = cdc["CDCResponse"]![0]!["QueryResponse"]![0]!["Invoice"]!.AsArray().ShouldHaveSingleItem()!;
            (invoice["Id"]!.GetValue<string>(), invoice["status"]!.GetValue<string>()).ShouldBe((firstInvoice, "Deleted"));

            second.Time.Advance(TimeSpan.FromDays(31));
            (access, _) = await second.ConnectAsync();
            laterInvoice = await DeletedInvoiceAsync(second, access);
        }
        finally
        {
            await second.DisposeAsync();
        }

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM tombstones";
        var kept = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                kept.Add(reader.GetString(0));
            }
        }

        kept.ShouldBe([laterInvoice]);
    }

    private static async Task<string> DeletedInvoiceAsync(SandboxHost host, string access)
    {
        var customer = (await host.WriteAsync(access, SandboxHost.AcmeRealm, "customer", new { DisplayName = "Tombstone " + Guid.NewGuid().ToString("N")[..8] })).Body["Customer"]!["Id"]!.GetValue<string>();
        var invoice = (await host.WriteAsync(access, SandboxHost.AcmeRealm, "invoice", new
        {
            CustomerRef = new { value = customer },
            Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 50, SalesItemLineDetail = new { } } },
        })).Body["Invoice"]!["Id"]!.GetValue<string>();
        var (status, body, _) = await host.WriteAsync(access, SandboxHost.AcmeRealm, "invoice?operation=delete", new { Id = invoice, SyncToken = "0" });
        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        return invoice;
    }

    [Fact]
    public async Task Restart_SharedByTenants_KeepsEachTenantsCompanyAndItsRecords()
    {
        var path = Path.Combine(_folder, "qbo-sandbox.db");
        string realm, customerId;
        var first = new TenantSandboxHost { DatabasePath = path };
        await first.InitializeAsync();
        try
        {
            using var client = first.As("acme");
            realm = (await first.OfferedRealmsAsync(client)).Single();
            var (access, _) = await first.ConnectAsync(realm, client);
            customerId = (await first.WriteAsync(access, realm, "customer", new { DisplayName = "Kept Customer" })).Body["Customer"]!["Id"]!.GetValue<string>();
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = new TenantSandboxHost { DatabasePath = path };
        await second.InitializeAsync();
        try
        {
            using var client = second.As("acme");
            using var other = second.As("other");

            (await second.OfferedRealmsAsync(client)).ShouldBe([realm]);
            (await second.OfferedRealmsAsync(other)).Single().ShouldNotBe(realm);
            var snapshot = await client.GetFromJsonAsync<JsonObject>(new Uri($"{SandboxHost.BasePath}/_sandbox/companies/{realm}", UriKind.Relative), TestContext.Current.CancellationToken);
            snapshot!["Customer"]!.AsArray().Single(c => c!["Id"]!.GetValue<string>() == customerId)!["DisplayName"]!.GetValue<string>().ShouldBe("Kept Customer");
        }
        finally
        {
            await second.DisposeAsync();
        }
    }
}

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

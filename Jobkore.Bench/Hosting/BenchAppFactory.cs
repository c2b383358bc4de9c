using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Bench.Hosting;

/// <summary>The real app (its Program) on a fresh folder for its SQLite database, sandbox file and keys, with the bench's settings on top.</summary>
internal sealed class BenchAppFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection> services) : WebApplicationFactory<Program>
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("jobkore-bench-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Jobkore", $"Data Source={Path.Combine(Folder, "jobkore.db")}");
        builder.UseSetting("Business:SeedDemoData", "false");
        builder.UseSetting("QuickBooks:DatabasePath", Path.Combine(Folder, "qbo-sandbox.db"));
        builder.UseSetting("DataProtection:KeysPath", Path.Combine(Folder, "keys"));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder if a file is still held open.
        }
    }
}

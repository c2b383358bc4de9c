using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.TestSupport;

/// <summary>The real app (its Program) on a fresh database (<see cref="TestDatabaseServer"/>) with the demo data, with test settings on top.</summary>
public sealed class JobkoreAppFactory : WebApplicationFactory<Program>
{
    private readonly string _folder;
    private readonly bool _ownsFolder;

    /// <param name="folder">An existing app's folder, to start a new host on the same database, sandbox and keys; it is then left in place.</param>
    public JobkoreAppFactory(string? folder = null)
    {
        _ownsFolder = folder is null;
        _folder = folder ?? Directory.CreateTempSubdirectory("jobkore-app-").FullName;
    }

    public string EnvironmentName { get; init; } = "Development";

    /// <summary>The folder holding this app's database, sandbox and Data Protection keys.</summary>
    public string Folder => _folder;

    public Dictionary<string, string?> Settings { get; } = [];

    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(EnvironmentName);
        foreach (var (key, value) in TestDatabaseServer.SettingsFor(_folder))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Business:SeedDemoData", "true");
        builder.UseSetting("QuickBooks:DatabasePath", Path.Combine(_folder, "qbo-sandbox.db"));
        builder.UseSetting("DataProtection:KeysPath", Path.Combine(_folder, "keys"));

        // The built-in sandbox announces every write by webhook; a test that is about webhooks turns them on.
        builder.UseSetting("QuickBooks:Webhooks:Enabled", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (TestServices is not null)
        {
            builder.ConfigureTestServices(TestServices);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsFolder)
        {
            SqliteConnection.ClearAllPools();
            return;
        }

        TestDatabaseServer.Drop(_folder);

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder if a file is still held open.
        }
    }
}

using Jobkore.Core;
using Jobkore.Core.Businesses;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jobkore.Tests.TestSupport;

/// <summary>A migrated database (<see cref="TestDatabaseServer"/>) of a temporary folder with Jobkore's services over it; deleted on dispose.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _folder;
    private readonly bool _ownsFolder;
    private readonly ServiceProvider _services;

    private TestDatabase(string folder, bool ownsFolder, ServiceProvider services, FakeTimeProvider time)
    {
        _folder = folder;
        _ownsFolder = ownsFolder;
        _services = services;
        Time = time;
    }

    public FakeTimeProvider Time { get; }

    public BusinessProfile Business => _services.GetRequiredService<DefaultBusiness>().Profile;

    /// <summary>The SQLite file, when the tests run on SQLite.</summary>
    public string DatabasePath => Path.Combine(_folder, "jobkore.db");

    public string Folder => _folder;

    /// <param name="seedDemoData">Create the demo business with its records instead of an empty one.</param>
    /// <param name="folder">Another instance's folder, to start a second set of services (as another app instance would) on its database; left in place.</param>
    public static async Task<TestDatabase> CreateAsync(bool seedDemoData = false, string? folder = null)
    {
        var ownsFolder = folder is null;
        folder ??= Directory.CreateTempSubdirectory("jobkore-tests-").FullName;
        var time = new FakeTimeProvider(TestServices.Now);
        var services = new ServiceCollection()
            .AddJobkoreForTests(folder, time, seedDemoData)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await services.InitializeJobkoreDatabaseAsync(TestContext.Current.CancellationToken);
        return new TestDatabase(folder, ownsFolder, services, time);
    }

    /// <summary>A scope (like one request or circuit) working in the default business, or in <paramref name="business"/>.</summary>
    public AsyncServiceScope CreateScope(BusinessProfile? business = null)
    {
        var scope = _services.CreateAsyncScope();
        if (business is not null)
        {
            scope.ServiceProvider.GetRequiredService<SwitchableCurrentBusiness>().SwitchTo(business);
        }

        return scope;
    }

    /// <summary>Adds another business to the same database, for isolation tests.</summary>
    public async Task<BusinessProfile> AddBusinessAsync(string name)
    {
        await using var scope = CreateScope();
        await using var db = await scope.Get<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync();
        var business = new Business(name, "USD", "America/New_York", Time.GetUtcNow());
        db.Businesses.Add(business);
        await db.SaveChangesAsync();
        return new BusinessProfile(business.Id, business.Name, business.Currency, business.TimeZoneId);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (!_ownsFolder)
        {
            return;
        }

        TestDatabaseServer.Drop(_folder);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine is left for the OS to clean; it is in the temp folder.
        }
    }
}

internal static class ScopeExtensions
{
    public static T Get<T>(this AsyncServiceScope scope)
        where T : notnull => scope.ServiceProvider.GetRequiredService<T>();
}

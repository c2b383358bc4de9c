using Jobkore.Core;
using Jobkore.Core.Businesses;
using Jobkore.Core.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Jobkore.Tests.TestSupport;

internal static class TestServices
{
    /// <summary>A fixed "now": 3:00 pm in Chicago on 2026-11-24.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 21, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Registers Jobkore's Core services against a real database of <paramref name="folder"/> (<see cref="TestDatabaseServer"/>:
    /// a SQLite file in it, or a PostgreSQL database of its own), with a fake clock and a switchable current business.
    /// </summary>
    public static IServiceCollection AddJobkoreForTests(this IServiceCollection services, string folder, FakeTimeProvider time, bool seedDemoData)
    {
        var settings = TestDatabaseServer.SettingsFor(folder);
        settings["Business:Name"] = "Test Plumbing";
        settings["Business:SeedDemoData"] = seedDemoData ? "true" : "false";
        settings["DataProtection:KeysPath"] = Path.Combine(folder, "keys");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment());
        services.AddLogging();
        services.AddScoped<SwitchableCurrentBusiness>();
        services.AddScoped<ICurrentBusiness>(sp => sp.GetRequiredService<SwitchableCurrentBusiness>());
        services.AddScoped<TestCurrentUser>();
        services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<TestCurrentUser>());
        services.AddJobkoreCore(configuration, Path.GetTempPath());
        services.AddSingleton<Jobkore.Core.Sync.IBusinessScopeFactory, TestBusinessScopes>();
        return services;
    }

    private sealed class TestHostEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "Jobkore.Tests";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

/// <summary>The installation's default business unless a test switches the scope to another one.</summary>
internal sealed class SwitchableCurrentBusiness(DefaultBusiness defaultBusiness) : ICurrentBusiness
{
    private BusinessProfile? _override;

    public BusinessProfile Profile => _override ?? defaultBusiness.Profile;

    public void SwitchTo(BusinessProfile profile) => _override = profile;
}

/// <summary>Background scopes for Core tests: the switchable business set to the one asked for.</summary>
internal sealed class TestBusinessScopes(IServiceScopeFactory scopes) : Jobkore.Core.Sync.IBusinessScopeFactory
{
    public AsyncServiceScope CreateScope(BusinessProfile business)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<SwitchableCurrentBusiness>().SwitchTo(business);
        return scope;
    }
}

/// <summary>A signed-in user for Core tests: an admin unless the test makes them staff.</summary>
internal sealed class TestCurrentUser : ICurrentUser
{
    public bool IsAdmin { get; set; } = true;

    public string UserId { get; set; } = "test-user-1";

    public string DisplayName => IsAdmin ? "Test Admin" : "Test Staff";

    public Task<bool> IsAllowedAsync(string policy) => Task.FromResult(IsAdmin && policy is Policies.IntegrationAdmin or Policies.BusinessAdmin);
}

using Jobkore.Core;
using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Backplane;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jobkore.Tests.Core;

public sealed class CoreServiceCollectionExtensionsTests
{
    private static ServiceCollection AddJobkoreCore(string provider, string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Jobkore"] = connectionString,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddJobkoreCore(configuration, Path.GetTempPath());
        return services;
    }

    private static int HostedServices(ServiceCollection services) => services.Count(d => d.ServiceType == typeof(IHostedService));

    [Fact]
    public async Task AddJobkoreCore_OnPostgreSql_PutsTheBackplaneBehindTheNotifier_AndRunsIt()
    {
        var services = AddJobkoreCore("PostgreSql", "Host=127.0.0.1;Database=jobkore");
        await using var provider = services.BuildServiceProvider();

        var backplane = provider.GetRequiredService<ISyncBackplane>().ShouldBeOfType<PostgresSyncBackplane>();
        provider.GetRequiredService<PostgresSyncBackplane>().ShouldBeSameAs(backplane);
        // Created with the backplane, the notifier attached itself to it: a second notifier cannot.
        var notifier = provider.GetRequiredService<SyncNotifier>();
        Should.Throw<InvalidOperationException>(() => backplane.Attach(notifier));
        HostedServices(services).ShouldBe(HostedServices(AddJobkoreCore("Sqlite", "Data Source=:memory:")) + 1);
    }

    [Fact]
    public async Task AddJobkoreCore_OnSqlite_HasNoBackplane()
    {
        await using var provider = AddJobkoreCore("Sqlite", "Data Source=:memory:").BuildServiceProvider();

        provider.GetService<ISyncBackplane>().ShouldBeNull();
        provider.GetService<PostgresSyncBackplane>().ShouldBeNull();
        provider.GetRequiredService<SyncNotifier>().ShouldNotBeNull();
    }
}

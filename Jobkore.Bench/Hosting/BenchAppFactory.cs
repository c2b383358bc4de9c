using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Bench.Hosting;

/// <summary>
/// The real app (its Program) on <paramref name="folder"/> for its SQLite database and keys, using the QuickBooks sandbox
/// at <paramref name="sandbox"/> (another process), with the bench's settings on top.
/// </summary>
internal sealed class BenchAppFactory(string folder, Uri sandbox, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection> services)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Jobkore", $"Data Source={Path.Combine(folder, "jobkore.db")}");
        builder.UseSetting("Business:SeedDemoData", "false");
        builder.UseSetting("QuickBooks:Environment", "BuiltInSandbox");
        builder.UseSetting("QuickBooks:BuiltInSandbox:Url", sandbox.AbsoluteUri);
        builder.UseSetting("DataProtection:KeysPath", Path.Combine(folder, "keys"));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services);
    }
}

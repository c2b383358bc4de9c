using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Bench.Hosting;

/// <summary>
/// The real app (its Program) on <paramref name="folder"/> for its Data Protection keys (SQLite's; PostgreSQL keeps them in
/// the database) and its files, using the QuickBooks sandbox at
/// <paramref name="sandbox"/> (another process), with the bench's settings on top, in order (a later key wins): they
/// name its database (<c>Database:Provider</c>, <c>ConnectionStrings:Jobkore</c>; <see cref="BenchDatabase"/>).
/// </summary>
internal sealed class BenchAppFactory(string folder, Uri sandbox, IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection> services)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
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

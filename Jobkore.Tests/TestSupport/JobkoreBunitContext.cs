using Bunit;
using Jobkore.Core;
using Jobkore.Web.Formatting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Jobkore.Tests.TestSupport;

/// <summary>
/// bUnit with MudBlazor and Jobkore's real Core services over a migrated SQLite file: the components under test
/// read and write real records, only the browser is simulated.
/// </summary>
public abstract class JobkoreBunitContext : BunitContext, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("jobkore-bunit-").FullName;

    protected JobkoreBunitContext(bool seedDemoData)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddJobkoreForTests(Path.Combine(_folder, "jobkore.db"), Time, seedDemoData);
        Services.AddMudServices();
        Services.AddScoped<BusinessFormatter>();
    }

    protected FakeTimeProvider Time { get; } = new(TestServices.Now);

    public async ValueTask InitializeAsync() => await Services.InitializeJobkoreDatabaseAsync(Xunit.TestContext.Current.CancellationToken);

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder if a file is still held open.
        }

        GC.SuppressFinalize(this);
    }
}

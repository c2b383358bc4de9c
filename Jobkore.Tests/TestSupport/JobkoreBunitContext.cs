using Bunit;
using Jobkore.Core;
using Jobkore.Web.Formatting;
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

    // bUnit's 1 s is too short on a loaded 2-core CI machine (seen failing live-list tests there); a wait ends as soon
    // as its condition holds, so a longer bound costs nothing when things work.
    static JobkoreBunitContext() => DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    protected JobkoreBunitContext(bool seedDemoData)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddJobkoreForTests(_folder, Time, seedDemoData);
        Services.AddMudServices();
        Services.AddScoped<BusinessFormatter>();
    }

    protected FakeTimeProvider Time { get; } = new(TestServices.Now);

    /// <summary>Renders a list page (with the popover provider its filters need) and waits for its first rows.</summary>
    protected IRenderedComponent<TPage> RenderListPage<TPage>()
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<TPage>();
        cut.WaitForAssertion(() => cut.FindAll("tbody tr").Count.ShouldBeGreaterThan(0));
        return cut;
    }

    /// <summary>Stores a connection to QuickBooks company <paramref name="realmId"/> for the current business, as connecting would.</summary>
    protected async Task SeedQuickBooksConnectionAsync(string realmId)
    {
        await using var scope = Services.CreateAsyncScope();
        var business = scope.ServiceProvider.GetRequiredService<Jobkore.Core.Businesses.ICurrentBusiness>().Profile.Id;
        var protector = scope.ServiceProvider.GetRequiredService<Jobkore.Core.QuickBooks.Connections.QboTokenProtector>();
        await using var db = await scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Jobkore.Core.Data.JobkoreDbContext>>()
            .CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
        db.QuickBooksConnections.Add(new Jobkore.Core.QuickBooks.Connections.QuickBooksConnection(business, realmId, "Acme Plumbing & Heating LLC", "BuiltInSandbox", "Dana Rivera",
            TestServices.Now, new Jobkore.Core.QuickBooks.Connections.ProtectedTokens(protector.Protect("access"), TestServices.Now.AddHours(1), protector.Protect("refresh"),
                TestServices.Now.AddDays(100))));
        await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
    }

    public async ValueTask InitializeAsync() => await Services.InitializeJobkoreDatabaseAsync(Xunit.TestContext.Current.CancellationToken);

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        TestDatabaseServer.Drop(_folder);
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

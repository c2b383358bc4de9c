using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Jobkore.Tests.Web;

public sealed class StartupValidationTests
{
    [Fact]
    public void Start_UnknownBusinessTimeZone_StopsWithTheKeyName()
    {
        var folder = Directory.CreateTempSubdirectory("jobkore-startup-").FullName;
        using var sut = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Jobkore", $"Data Source={Path.Combine(folder, "jobkore.db")}");
            builder.UseSetting("Business:SeedDemoData", "false");
            builder.UseSetting("Business:TimeZone", "Mars/Olympus");
        });

        var ex = Should.Throw<OptionsValidationException>(() => sut.CreateClient());

        ex.Message.ShouldContain("Business:TimeZone 'Mars/Olympus' is not a known time zone");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("257")]
    public void Start_MaxConcurrentBusinessesOutOfRange_StopsWithTheKeyName(string value)
    {
        var folder = Directory.CreateTempSubdirectory("jobkore-startup-").FullName;
        using var sut = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Jobkore", $"Data Source={Path.Combine(folder, "jobkore.db")}");
            builder.UseSetting("Business:SeedDemoData", "false");
            builder.UseSetting("Sync:MaxConcurrentBusinesses", value);
        });

        var ex = Should.Throw<OptionsValidationException>(() => sut.CreateClient());

        ex.Message.ShouldContain("MaxConcurrentBusinesses must be between 1 and 256");
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("01:00:00")]
    public void Start_ClaimIntervalOutOfRange_StopsWithTheKeyName(string value)
    {
        var folder = Directory.CreateTempSubdirectory("jobkore-startup-").FullName;
        using var sut = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Jobkore", $"Data Source={Path.Combine(folder, "jobkore.db")}");
            builder.UseSetting("Business:SeedDemoData", "false");
            builder.UseSetting("Sync:ClaimInterval", value);
        });

        var ex = Should.Throw<OptionsValidationException>(() => sut.CreateClient());

        ex.Message.ShouldContain("ClaimInterval must be between");
    }

    [Fact]
    public void Start_MissingConnectionString_SaysWhichKeyToSet()
    {
        using var sut = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder.UseSetting("ConnectionStrings:Jobkore", string.Empty));

        var ex = Should.Throw<InvalidOperationException>(() => sut.CreateClient());

        ex.Message.ShouldContain("ConnectionStrings:Jobkore");
    }

    [Fact]
    public async Task Start_ProductionWithoutAzureAdOrDemoSwitch_RefusesNamingTheMissingKeys()
    {
        await using var sut = new Jobkore.Tests.TestSupport.JobkoreAppFactory { EnvironmentName = "Production" };

        var ex = Should.Throw<InvalidOperationException>(() => sut.CreateClient());

        ex.Message.ShouldBe(
            "Sign-in is not configured. Set AzureAd:TenantId, AzureAd:ClientId in appsettings.json (and AzureAd:ClientSecret in an environment variable or user secrets) "
            + "to sign in with Microsoft Entra ID, or set Authentication:DemoSignIn to true to allow the demo sign-in in the Production environment.");
    }

    [Fact]
    public async Task Start_ProductionWithExplicitDemoSwitch_ServesTheDemoSignIn()
    {
        await using var sut = new Jobkore.Tests.TestSupport.JobkoreAppFactory { EnvironmentName = "Production" };
        sut.Settings["Authentication:DemoSignIn"] = "true";
        sut.Settings["QuickBooks:Environment"] = "IntuitSandbox";
        sut.Settings["QuickBooks:ClientId"] = "intuit-app-client-id";
        sut.Settings["QuickBooks:ClientSecret"] = "intuit-app-client-secret";
        using var client = sut.CreateClient();

        var html = await client.GetStringAsync("/account/signin", TestContext.Current.CancellationToken);

        html.ShouldContain("Demo sign-in.");
    }

    [Fact]
    public async Task FirstStart_EmptyFolder_MigratesWithoutAWarningThatTheDatabaseMayBeHalfMigrated()
    {
        var logs = new Jobkore.Tests.TestSupport.CapturedLogs();
        await using var sut = new Jobkore.Tests.TestSupport.JobkoreAppFactory
        {
            TestServices = services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs),
        };
        using var client = sut.CreateClient();

        (await client.GetStringAsync("/health/ready", TestContext.Current.CancellationToken)).ShouldBe("Healthy");
        logs.Entries.Where(entry => entry.Contains("Microsoft.EntityFrameworkCore.Migrations", StringComparison.Ordinal)
            && !entry.StartsWith("Debug", StringComparison.Ordinal) && !entry.StartsWith("Trace", StringComparison.Ordinal)
            && !entry.StartsWith("Information", StringComparison.Ordinal)).ShouldBeEmpty();
    }
}

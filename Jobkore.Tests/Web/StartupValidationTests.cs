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

    [Fact]
    public void Start_MissingConnectionString_SaysWhichKeyToSet()
    {
        using var sut = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder.UseSetting("ConnectionStrings:Jobkore", string.Empty));

        var ex = Should.Throw<InvalidOperationException>(() => sut.CreateClient());

        ex.Message.ShouldContain("ConnectionStrings:Jobkore");
    }
}

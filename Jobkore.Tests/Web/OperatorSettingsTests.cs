using Jobkore.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Jobkore.Tests.Web;

public sealed class OperatorSettingsTests
{
    [Fact]
    public void AddOperatorSettings_ContentRootWithoutFile_LoadsTheRootFileCopiedNextToTheApp()
    {
        // Under `dotnet run` the content root is Jobkore.Web/, which has no appsettings.json; the build copied the root one here.
        var contentRoot = Directory.CreateTempSubdirectory("jobkore-contentroot-").FullName;
        var sut = new ConfigurationManager();
        sut.AddJsonFile(Path.Combine(contentRoot, "appsettings.json"), optional: true);

        sut.AddOperatorSettings(new Environment(contentRoot));

        sut["ConnectionStrings:Jobkore"].ShouldBe("Data Source=App_Data/jobkore.db");
        sut["Business:TimeZone"].ShouldBe("America/Chicago");
    }

    [Fact]
    public void AddOperatorSettings_EnvironmentVariablesAddedEarlier_StillOverrideTheFile()
    {
        var contentRoot = Directory.CreateTempSubdirectory("jobkore-contentroot-").FullName;
        var sut = new ConfigurationManager();
        sut.AddJsonFile(new PhysicalFileProvider(contentRoot), "appsettings.json", optional: true, reloadOnChange: false);
        sut.AddInMemoryCollection(new Dictionary<string, string?> { ["Business:TimeZone"] = "America/Denver" });

        sut.AddOperatorSettings(new Environment(contentRoot));

        sut["Business:TimeZone"].ShouldBe("America/Denver");
    }

    private sealed class Environment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Development";

        public string ApplicationName { get; set; } = "Jobkore.Web";

        public string ContentRootPath { get; set; } = contentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

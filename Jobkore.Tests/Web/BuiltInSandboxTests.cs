using System.Net;
using Jobkore.Tests.TestSupport;
using Jobkore.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobkore.Tests.Web;

/// <summary>Where the built-in sandbox runs: by default only in Development; elsewhere only when explicitly allowed.</summary>
public sealed class BuiltInSandboxTests
{
    private const string Discovery = "/qbo-sandbox/.well-known/openid_sandbox_configuration";

    [Fact]
    public void AddBuiltInSandboxDefault_Development_DefaultsTheEnvironmentToBuiltInSandbox()
    {
        var sut = new ConfigurationManager();

        sut.AddBuiltInSandboxDefault(new HostEnvironment("Development"));

        sut["QuickBooks:Environment"].ShouldBe("BuiltInSandbox");
    }

    [Fact]
    public void AddBuiltInSandboxDefault_DevelopmentWithTheKeySetEarlier_KeepsTheOperatorsChoice()
    {
        var sut = new ConfigurationManager();
        sut.AddInMemoryCollection(new Dictionary<string, string?> { ["QuickBooks:Environment"] = "IntuitSandbox" });

        sut.AddBuiltInSandboxDefault(new HostEnvironment("Development"));

        sut["QuickBooks:Environment"].ShouldBe("IntuitSandbox");
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void AddBuiltInSandboxDefault_OutsideDevelopment_LeavesTheEnvironmentUnset(string environment)
    {
        var sut = new ConfigurationManager();

        sut.AddBuiltInSandboxDefault(new HostEnvironment(environment));

        sut["QuickBooks:Environment"].ShouldBeNull();
    }

    [Fact]
    public async Task Start_DevelopmentWithNoQuickBooksSettings_ServesTheBuiltInSandbox()
    {
        await using var sut = new JobkoreAppFactory();
        using var client = sut.CreateClient();

        using var response = await client.GetAsync(Discovery, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Start_StagingWithoutQuickBooksEnvironment_RefusesNamingTheKeyAndItsChoices()
    {
        await using var sut = new JobkoreAppFactory { EnvironmentName = "Staging" };
        sut.Settings["Authentication:DemoSignIn"] = "true";

        var ex = Should.Throw<OptionsValidationException>(() => sut.CreateClient());

        ex.Message.ShouldContain("QuickBooks:Environment is not set. Set it to BuiltInSandbox, IntuitSandbox or Production");
    }

    [Fact]
    public async Task Start_ProductionBuiltInSandboxWithoutAllowInProduction_RefusesNamingThatKey()
    {
        await using var sut = new JobkoreAppFactory { EnvironmentName = "Production" };
        sut.Settings["Authentication:DemoSignIn"] = "true";
        sut.Settings["QuickBooks:Environment"] = "BuiltInSandbox";

        var ex = Should.Throw<OptionsValidationException>(() => sut.CreateClient());

        ex.Message.ShouldContain("QuickBooks:Environment is BuiltInSandbox in the Production environment, but the built-in sandbox is a development and demo tool. "
            + "Set QuickBooks:BuiltInSandbox:AllowInProduction to true to serve it anyway");
    }

    /// <summary>However the binder reads the value as BuiltInSandbox, the sandbox's own rules apply to it.</summary>
    [Theory]
    [InlineData("builtinsandbox")]
    [InlineData(" BuiltInSandbox ")]
    [InlineData("0")]
    public async Task Start_ProductionBuiltInSandboxSpelledOtherwise_StillNeedsAllowInProduction(string spelling)
    {
        await using var sut = new JobkoreAppFactory { EnvironmentName = "Production" };
        sut.Settings["Authentication:DemoSignIn"] = "true";
        sut.Settings["QuickBooks:Environment"] = spelling;

        var ex = Should.Throw<OptionsValidationException>(() => sut.CreateClient());

        ex.Message.ShouldContain("Set QuickBooks:BuiltInSandbox:AllowInProduction to true to serve it anyway");
    }

    [Fact]
    public async Task Start_QuickBooksEnvironmentANumberOfNoEnvironment_RefusesNamingTheChoices()
    {
        await using var sut = new JobkoreAppFactory { EnvironmentName = "Production" };
        sut.Settings["Authentication:DemoSignIn"] = "true";
        sut.Settings["QuickBooks:Environment"] = "7";

        var ex = Should.Throw<OptionsValidationException>(() => sut.CreateClient());

        ex.Message.ShouldContain("QuickBooks:Environment '7' is not one of BuiltInSandbox, IntuitSandbox or Production.");
    }

    [Fact]
    public async Task Start_ProductionBuiltInSandboxAllowed_ServesItAndLogsAWarning()
    {
        var logs = new CapturedLogs();
        await using var sut = new JobkoreAppFactory { EnvironmentName = "Production", TestServices = services => services.AddSingleton<ILoggerProvider>(logs) };
        sut.Settings["Authentication:DemoSignIn"] = "true";
        sut.Settings["QuickBooks:Environment"] = "BuiltInSandbox";
        sut.Settings["QuickBooks:BuiltInSandbox:AllowInProduction"] = "true";
        using var client = sut.CreateClient();

        using var response = await client.GetAsync(Discovery, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        logs.Entries.ShouldContain(e => e.StartsWith("Warning ", StringComparison.Ordinal)
            && e.Contains("The built-in QuickBooks sandbox is served at /qbo-sandbox in the Production environment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_DevelopmentBuiltInSandbox_LogsNoWarning()
    {
        var logs = new CapturedLogs();
        await using var sut = new JobkoreAppFactory { TestServices = services => services.AddSingleton<ILoggerProvider>(logs) };

        sut.CreateClient().Dispose();

        logs.Entries.ShouldNotContain(e => e.Contains("The built-in QuickBooks sandbox is served", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_ProductionIntuitSandbox_ServesNoBuiltInSandbox()
    {
        await using var sut = new JobkoreAppFactory { EnvironmentName = "Production" };
        sut.Settings["Authentication:DemoSignIn"] = "true";
        sut.Settings["QuickBooks:Environment"] = "IntuitSandbox";
        sut.Settings["QuickBooks:ClientId"] = "intuit-app-client-id";
        sut.Settings["QuickBooks:ClientSecret"] = "intuit-app-client-secret";
        using var client = sut.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(Discovery, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, "the app's own sign-in, as for any path it does not serve anonymously");
        response.Headers.Location!.OriginalString.ShouldContain("/account/signin");
    }

    private sealed class HostEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Jobkore.Web";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

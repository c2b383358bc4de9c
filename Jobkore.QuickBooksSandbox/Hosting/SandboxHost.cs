namespace Jobkore.QuickBooksSandbox.Hosting;

/// <summary><c>dotnet run --project Jobkore.QuickBooksSandbox</c>: the sandbox alone, at the root path.</summary>
public static class SandboxHost
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddQuickBooksSandbox(builder.Configuration.GetSection(QuickBooksSandboxOptions.SectionName), builder.Environment.ContentRootPath);
        var app = builder.Build();
        app.MapQuickBooksSandbox(string.Empty);
        await app.RunAsync();
    }
}

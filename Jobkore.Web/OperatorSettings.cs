using Microsoft.Extensions.Configuration.Json;

namespace Jobkore.Web;

internal static class OperatorSettings
{
    private const string FileName = "appsettings.json";

    /// <summary>
    /// Loads the repository-root appsettings.json, which the build copies next to the app. Under <c>dotnet run</c>
    /// the content root is the project folder, which has no appsettings.json of its own; from a published folder
    /// the two are the same file. It is inserted where the content-root file sits, so environment variables and
    /// the command line still override it.
    /// </summary>
    public static IConfigurationBuilder AddOperatorSettings(this IConfigurationManager configuration, IHostEnvironment environment)
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        var contentRootFile = Path.Combine(environment.ContentRootPath, FileName);
        if (!File.Exists(path) || string.Equals(Path.GetFullPath(path), Path.GetFullPath(contentRootFile), StringComparison.Ordinal))
        {
            return configuration;
        }

        var sources = ((IConfigurationBuilder)configuration).Sources;
        var index = sources.ToList().FindIndex(s => s is JsonConfigurationSource { Path: FileName });
        var source = new JsonConfigurationSource { Path = path, Optional = false, ReloadOnChange = false };
        source.ResolveFileProvider();
        sources.Insert(index < 0 ? 0 : index + 1, source);
        return configuration;
    }
}

namespace Jobkore.Tests.TestSupport;

internal static class RepositoryPaths
{
    /// <summary>The folder holding Jobkore.Blazor.sln, found from the test binaries; test artifacts go under it.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Jobkore.Blazor.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"Jobkore.Blazor.sln was not found above {AppContext.BaseDirectory}.");
    }
}

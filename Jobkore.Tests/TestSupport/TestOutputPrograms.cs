using System.Diagnostics;

namespace Jobkore.Tests.TestSupport;

internal static class TestOutputPrograms
{
    /// <summary>
    /// How to start <paramref name="assembly"/>, a program built into the test output (the test program itself, the
    /// sandbox), with the dotnet host running the tests: output redirected, working in the output folder.
    /// </summary>
    public static ProcessStartInfo StartInfo(string assembly, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}

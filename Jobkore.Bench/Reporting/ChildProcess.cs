using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Jobkore.Bench.Reporting;

/// <summary>Runs one row in a child process of this same program, so each row's peak working set is its own.</summary>
internal static class ChildProcess
{
    public const string ResultPrefix = "BENCH-RESULT ";

    public static Task<T> RunAsync<T>(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsync<T>(arguments, new Dictionary<string, string>(), cancellationToken);

    /// <summary>Runs this program with <paramref name="arguments"/>, and <paramref name="environment"/> on top of this one's, and returns what it reports.</summary>
    public static async Task<T> RunAsync<T>(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = StartInfo(arguments);
        start.RedirectStandardOutput = true;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the bench's child process.");
        string output;
        try
        {
            output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"The child run ({string.Join(' ', start.ArgumentList)}) failed with exit code {process.ExitCode}:\n{output}");
        }

        return JsonSerializer.Deserialize<T>(line[ResultPrefix.Length..])!;
    }

    /// <summary>This same program with <paramref name="arguments"/>; its standard error goes where this one's goes.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            // Started as `dotnet Jobkore.Bench.dll`: the child needs the same assembly.
            start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>What a child prints for its parent.</summary>
    public static void Report<T>(T result) => Console.Out.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
}

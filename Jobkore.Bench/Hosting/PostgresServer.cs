using System.Diagnostics;

namespace Jobkore.Bench.Hosting;

/// <summary>
/// The PostgreSQL server the PostgreSQL rows create their databases on (<see cref="BenchDatabase"/>): the one of
/// <see cref="BenchDatabase.PostgresVariable"/> when it is set, else a throwaway cluster on a free loopback port, started
/// with the repository's <c>scripts/postgres-cluster.sh</c> (which installs Debian's postgresql when missing; fsync off,
/// as for the tests) and stopped, its folder deleted, on dispose — also when a row fails or the bench is cancelled.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private const string Script = "scripts/postgres-cluster.sh";
    private readonly string? _script;
    private readonly string? _folder;

    private PostgresServer(string connectionString, string? script, string? folder)
    {
        ConnectionString = connectionString;
        _script = script;
        _folder = folder;
    }

    /// <summary>The server's connection string, e.g. <c>Host=127.0.0.1;Port=N;Username=postgres;Database=postgres</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>True when the bench started the cluster (and stops it); false for the server of <see cref="BenchDatabase.PostgresVariable"/>.</summary>
    public bool IsThrowaway => _folder is not null;

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(BenchDatabase.PostgresVariable) is { Length: > 0 } given)
        {
            return new PostgresServer(given, script: null, folder: null);
        }

        var script = Path.Combine(RepositoryRoot(), Script);
        var folder = Path.Combine(Path.GetTempPath(), $"jobkore-bench-postgres-{Guid.NewGuid():N}");
        try
        {
            var (exitCode, output) = await RunScriptAsync(script, "start", folder, cancellationToken);
            var connectionString = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (exitCode != 0 || connectionString is null)
            {
                throw new InvalidOperationException(
                    $"{Script} could not start a PostgreSQL cluster for the PostgreSQL rows (exit code {exitCode}; its messages are above). "
                    + "It needs Debian's postgresql: install it with `sudo apt-get install -y postgresql`, or set "
                    + $"{BenchDatabase.PostgresVariable} to the connection string of a PostgreSQL server the bench may create and drop databases on.");
            }

            return new PostgresServer(connectionString, script, folder);
        }
        catch
        {
            await StopAsync(script, folder);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_script is not null && _folder is not null)
        {
            await StopAsync(_script, _folder);
        }
    }

    /// <summary>Stops the cluster and deletes its folder, whatever happened before (nothing to stop is fine).</summary>
    private static async Task StopAsync(string script, string folder)
    {
        var (exitCode, _) = await RunScriptAsync(script, "stop", folder, CancellationToken.None);
        if (exitCode != 0)
        {
            Console.Error.WriteLine($"{Script} stop {folder} failed with exit code {exitCode}; the cluster may still run.");
        }
    }

    /// <summary>Runs the script; its standard error goes where this process's goes, its standard output is returned.</summary>
    private static async Task<(int ExitCode, string Output)> RunScriptAsync(string script, string action, string folder, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(action);
        start.ArgumentList.Add(folder);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Script}.");
        try
        {
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, output);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>The folder holding Jobkore.Blazor.sln, found from the bench's binaries.</summary>
    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Jobkore.Blazor.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException(
            $"Jobkore.Blazor.sln was not found above {AppContext.BaseDirectory}, so {Script} was not either; run the bench from the repository, "
            + $"or set {BenchDatabase.PostgresVariable} to the connection string of a PostgreSQL server the bench may create and drop databases on.");
    }
}

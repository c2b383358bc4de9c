using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Jobkore.Tests.TestSupport;

/// <summary>
/// One instance of the real app (its Program, on real Kestrel) in a process of its own — this test program started again
/// with <see cref="ServeCommand"/> — so a test can run several on one database and kill one with SIGKILL. Requests sign
/// in by the test headers (<see cref="TestAuthHandler"/>). The instance stops when its standard input closes, so it never
/// outlives the test process however that ends.
/// </summary>
internal sealed class AppInstanceProcess : IAsyncDisposable
{
    public const string ServeCommand = "--serve-app-instance";

    /// <summary>When set, each instance's log is written to <c>{name}.log</c> in this folder.</summary>
    public const string LogFolderVariable = "JOBKORE_TEST_INSTANCE_LOGS";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly Task _output;

    private AppInstanceProcess(string name, Process process, Uri baseAddress, Task output)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        _output = output;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts an instance on <paramref name="folder"/> with <paramref name="settings"/> and returns once it answers its health check.</summary>
    public static async Task<AppInstanceProcess> StartAsync(string name, string folder, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var start = TestOutputPrograms.StartInfo("Jobkore.Tests.dll",
            [ServeCommand, folder, port.ToString(CultureInfo.InvariantCulture), .. settings.Select(s => $"{s.Key}={s.Value}")]);
        start.RedirectStandardInput = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start app instance {name}.");
        var output = KeepOutputAsync(process, name);
        var instance = new AppInstanceProcess(name, process, new Uri($"http://127.0.0.1:{port}/"), output);
        try
        {
            await instance.WaitUntilHealthyAsync(cancellationToken);
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the instance at once (SIGKILL): no shutdown, no lease given back, nothing flushed.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _output.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    /// <summary>The child's side: serves the app until standard input closes.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var folder = args[0];
        var port = int.Parse(args[1], CultureInfo.InvariantCulture);
        await using var factory = new JobkoreAppFactory(folder) { TestServices = TestAuthHandler.AddTo };
        foreach (var setting in args[2..])
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            factory.Settings[setting[..equals]] = setting[(equals + 1)..];
        }

        factory.UseKestrel(port);
        factory.StartServer();
        while (await Console.In.ReadLineAsync() is not null)
        {
        }

        return 0;
    }

    /// <summary>
    /// Reads the instance's output as it comes, so it never waits on a full pipe: into <c>{name}.log</c> in the folder
    /// named by <see cref="LogFolderVariable"/> when it is set (to see what an instance did), else nowhere.
    /// </summary>
    private static Task KeepOutputAsync(Process process, string name)
    {
        var folder = Environment.GetEnvironmentVariable(LogFolderVariable);
        if (string.IsNullOrEmpty(folder))
        {
            return Task.WhenAll(
                process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None),
                process.StandardError.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None));
        }

        Directory.CreateDirectory(folder);
        var log = new FileStream(Path.Combine(folder, name + ".log"), FileMode.Create, FileAccess.Write, FileShare.Read);
        var gate = new SemaphoreSlim(1, 1);
        async Task CopyAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
                await gate.WaitAsync();
                try
                {
                    await log.WriteAsync(bytes);
                    await log.FlushAsync();
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        return Task.WhenAll(CopyAsync(process.StandardOutput), CopyAsync(process.StandardError)).ContinueWith(_ => log.Dispose(), TaskScheduler.Default);
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_startTimeout);
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"App instance {Name} exited with code {_process.ExitCode} while starting.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !timeout.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(250, timeout.Token);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

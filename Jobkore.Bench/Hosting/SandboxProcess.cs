using System.Diagnostics;
using Jobkore.Bench.Reporting;
using Jobkore.QuickBooksSandbox.Hosting;

namespace Jobkore.Bench.Hosting;

/// <summary>
/// The QuickBooks sandbox in a process of its own — this program started again as <c>Jobkore.Bench --serve-sandbox</c>,
/// which runs the standalone sandbox host (<see cref="SandboxHost"/>) — so the row's process holds the app alone. It
/// listens on a free loopback port and says which; it is used once it answers its discovery document. Disposing it
/// stops it (killed if it does not stop within seconds), and it stops by itself when the process that started it ends
/// however that ends: that process holds its standard input, and the sandbox stops when standard input closes.
/// </summary>
internal sealed class SandboxProcess : IAsyncDisposable
{
    public const string ServeCommand = "--serve-sandbox";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly Task _drain;

    private SandboxProcess(Process process, Uri baseUrl, Task drain)
    {
        _process = process;
        BaseUrl = baseUrl;
        _drain = drain;
    }

    /// <summary>The sandbox's base URL, e.g. <c>http://127.0.0.1:40123/</c>: the value of the app's QuickBooks:BuiltInSandbox:Url.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Starts the sandbox with <paramref name="settings"/> (its configuration keys) and returns once it answers.</summary>
    public static async Task<SandboxProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var start = ChildProcess.StartInfo([ServeCommand, "--urls", "http://127.0.0.1:0", .. settings.Select(s => $"--{s.Key}={s.Value}")]);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the sandbox process.");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_startTimeout);
            var baseUrl = await ListeningAddressAsync(process, timeout.Token);

            // Read the rest of its output as it comes, so the sandbox never waits on a full pipe.
            var drain = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            await WaitUntilAnswersAsync(baseUrl, timeout.Token);
            return new SandboxProcess(process, baseUrl, drain);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>The <c>--serve-sandbox</c> mode: serves the sandbox until standard input closes (or Ctrl+C / SIGTERM).</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        using var parentGone = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync() is not null)
            {
            }

            await parentGone.CancelAsync();
        });
        await SandboxHost.RunAsync(args, parentGone.Token);
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(s_stopTimeout);
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            Kill(_process);
        }

        await _drain.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    private static async Task<Uri> ListeningAddressAsync(Process process, CancellationToken cancellationToken)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith(SandboxHost.ListeningPrefix, StringComparison.Ordinal))
            {
                return new Uri(line[SandboxHost.ListeningPrefix.Length..].Trim());
            }
        }

        await process.WaitForExitAsync(cancellationToken);
        throw new InvalidOperationException($"The sandbox process ended with exit code {process.ExitCode} before it listened (its errors are above).");
    }

    private static async Task WaitUntilAnswersAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var discovery = new Uri(baseUrl, ".well-known/openid_sandbox_configuration");
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(discovery, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not answering yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(s_stopTimeout);
        }
        catch (InvalidOperationException)
        {
            // It has already exited.
        }
    }
}

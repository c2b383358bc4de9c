using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Hosting;

namespace Jobkore.Tests.TestSupport;

/// <summary>
/// The QuickBooks sandbox's standalone host (<see cref="SandboxHost"/>, Jobkore.QuickBooksSandbox) in a process of its own,
/// on a free loopback port, shared by the app instances of a multi-instance test through <c>QuickBooks:BuiltInSandbox:Url</c>;
/// its fault and inspection endpoints are on. Disposing it kills it.
/// </summary>
internal sealed class SandboxProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly Task _output;
    private readonly HttpClient _http;

    private SandboxProcess(Process process, Uri baseUrl, Task output)
    {
        _process = process;
        BaseUrl = baseUrl;
        _output = output;
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseUrl { get; }

    /// <summary>Starts the sandbox with these settings (its configuration keys) on top of the fault endpoints and the loopback callback.</summary>
    public static async Task<SandboxProcess> StartAsync(string folder, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var start = TestOutputPrograms.StartInfo("Jobkore.QuickBooksSandbox.dll",
        [
            "--urls", "http://127.0.0.1:0", "--QuickBooks:FaultInjectionEndpoints=true",
            "--QuickBooks:RedirectUris:0=http://127.0.0.1/integrations/quickbooks/callback", $"--QuickBooks:DatabasePath={Path.Combine(folder, "qbo-sandbox.db")}",
            "--Logging:LogLevel:Default=Warning", .. settings.Select(s => $"--{s.Key}={s.Value}"),
        ]);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the sandbox process.");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_startTimeout);
            Uri? baseUrl = null;
            while (baseUrl is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith(SandboxHost.ListeningPrefix, StringComparison.Ordinal))
                {
                    baseUrl = new Uri(line[SandboxHost.ListeningPrefix.Length..].Trim());
                }
            }

            var output = Task.WhenAll(
                process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None),
                process.StandardError.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None));
            return new SandboxProcess(process, baseUrl ?? throw new InvalidOperationException($"The sandbox exited ({process.ExitCode}) without saying where it listens."), output);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>A company's records, from the inspection endpoint.</summary>
    public async Task<JsonObject> CompanyAsync(string realmId, CancellationToken cancellationToken) =>
        JsonNode.Parse(await _http.GetStringAsync(new Uri($"_sandbox/companies/{realmId}", UriKind.Relative), cancellationToken))!.AsObject();

    /// <summary>Makes <paramref name="realmId"/> answer every request after <paramref name="latencyMilliseconds"/>.</summary>
    public async Task SetLatencyAsync(string realmId, int latencyMilliseconds, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri("_sandbox/faults", UriKind.Relative),
            new { realmId, settings = new { latencyMilliseconds } }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync(new Uri("_sandbox/faults", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        await _output.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }
}

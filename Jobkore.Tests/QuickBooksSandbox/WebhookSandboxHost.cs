using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>
/// A sandbox that sends its webhooks to a <see cref="WebhookReceiver"/> on a port of its own, in <see cref="Format"/>,
/// with Intuit's timings except a retry schedule 60 times faster, on the fake clock.
/// </summary>
public class WebhookSandboxHost : SandboxHost
{
    public const string VerifierToken = "test-webhook-verifier";
    public const double RetryTimeScale = 60;

    public WebhookReceiver Receiver { get; } = new();

    protected virtual SandboxWebhookFormat Format => SandboxWebhookFormat.CloudEvents;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("QuickBooks:WebhookVerifierToken", VerifierToken),
        new("QuickBooks:Webhooks:Url", Receiver.Url.AbsoluteUri),
        new("QuickBooks:Webhooks:Format", Format.ToString()),
        new("QuickBooks:Webhooks:RetryTimeScale", RetryTimeScale.ToString(CultureInfo.InvariantCulture)),
    ];

    public override async ValueTask InitializeAsync()
    {
        await Receiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public async Task<JsonObject> StateAsync() =>
        (await Http.GetFromJsonAsync<JsonObject>($"{BasePath}/_sandbox/webhooks", TestContext.Current.CancellationToken))!;

    /// <summary>
    /// Waits until the delivery loop waits on the fake clock (the batch window or a retry: the state names the instant
    /// once its timer runs), then moves the clock exactly there; returns how far it moved.
    /// </summary>
    public async Task<TimeSpan> AdvanceToNextWakeAsync()
    {
        var state = await WaitForStateAsync(s => s["waitingUntil"] is { } at && Instant(at) > Time.GetUtcNow(), "the delivery loop to wait");
        var by = Instant(state["waitingUntil"]) - Time.GetUtcNow();
        Time.Advance(by);
        return by;
    }

    /// <summary>Reads the delivery state until <paramref name="condition"/> holds, failing after 10 s.</summary>
    public async Task<JsonObject> WaitForStateAsync(Func<JsonObject, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var state = await StateAsync();
            if (condition(state))
            {
                return state;
            }

            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), $"Waiting for {what}; the delivery state is {state.ToJsonString()}");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    public static DateTimeOffset Instant(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}

/// <summary>The same, in Intuit's legacy format.</summary>
public sealed class LegacyWebhookSandboxHost : WebhookSandboxHost
{
    protected override SandboxWebhookFormat Format => SandboxWebhookFormat.Legacy;
}

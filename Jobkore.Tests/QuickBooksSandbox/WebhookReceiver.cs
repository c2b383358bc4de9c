using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>One POST a <see cref="WebhookReceiver"/> got: its headers (names in lower case) and its exact body.</summary>
public sealed record ReceivedWebhook(IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
}

/// <summary>
/// An app's webhook endpoint as a test double: records every POST before answering it as <see cref="Respond"/> says
/// (200 unless told otherwise). On a Kestrel port of its own (<see cref="StartAsync"/>), or mapped on another host.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Path = "/hooks";
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly SemaphoreSlim _arrivals = new(0);
    private WebApplication? _app;

    /// <summary>The status to answer a POST with; it may wait first, as a slow receiver does.</summary>
    public Func<ReceivedWebhook, Task<int>> Respond { get; set; } = _ => Task.FromResult(StatusCodes.Status200OK);

    public Uri Url { get; private set; } = default!;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        Map(_app);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        Url = new Uri(new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), Path);
    }

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost(Path, async (HttpContext context) =>
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var received = new ReceivedWebhook(context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body.ToArray());
        _received.Enqueue(received);
        _arrivals.Release();
        return Results.StatusCode(await Respond(received));
    });

    /// <summary>Waits until <paramref name="count"/> POSTs in all have arrived (failing after 10 s) and returns them all.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count)
    {
        while (_received.Count < count)
        {
            (await _arrivals.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).ShouldBeTrue($"Only {_received.Count} webhook POSTs arrived, not {count}.");
        }

        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _arrivals.Dispose();
    }
}

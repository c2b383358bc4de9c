using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Jobkore.Tests.TestSupport;

/// <summary>A stand-in OTLP collector (OTLP over HTTP) on 127.0.0.1: answers 200 to every POST and remembers its path.</summary>
internal sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _paths = new();

    private OtlpCollector(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    public IReadOnlyCollection<string> Paths => [.. _paths];

    /// <summary>Listens on <paramref name="port"/>, or on a free port when null.</summary>
    public static async Task<OtlpCollector> StartAsync(int? port = null)
    {
        port ??= FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var collector = new OtlpCollector(app, $"http://127.0.0.1:{port}");
        app.MapPost("/{**path}", (HttpContext context) =>
        {
            collector._paths.Enqueue(context.Request.Path);
            return Results.Ok();
        });
        await app.StartAsync();
        return collector;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

using System.IO.Compression;

namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>
/// A request body as sent, decompressed when its Content-Encoding is gzip or deflate: Intuit's .NET and Java SDKs gzip
/// every body by default. Decoded here rather than by ASP.NET's request decompression, which would also decode the
/// bodies of the app that mounts the sandbox.
/// </summary>
internal static class RequestBody
{
    /// <summary>Reads the decoded body with <paramref name="read"/>; a broken or unknown encoding throws <see cref="InvalidDataException"/>.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, Func<Stream, Task<T>> read, CancellationToken cancellationToken)
    {
        var body = await OpenAsync(request, cancellationToken);
        try
        {
            return await read(body);
        }
        finally
        {
            if (body != request.Body)
            {
                await body.DisposeAsync();
            }
        }
    }

    private static async Task<Stream> OpenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var encodings = request.Headers.ContentEncoding.ToString()
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(e => !e.Equals("identity", StringComparison.OrdinalIgnoreCase));
        var body = request.Body;
        var leaveOpen = true;

        // Listed in the order they were applied: the last is undone first.
        foreach (var encoding in encodings.Reverse())
        {
            body = encoding.ToLowerInvariant() switch
            {
                "gzip" or "x-gzip" => new GZipStream(body, CompressionMode.Decompress, leaveOpen),
                "deflate" => await DeflateAsync(body, leaveOpen, cancellationToken),
                _ => throw new InvalidDataException($"Content-Encoding {encoding} is not supported."),
            };
            leaveOpen = false;
        }

        return body;
    }

    /// <summary>
    /// HTTP's deflate is zlib-wrapped (RFC 9110 §8.4.1.2, what Intuit's Java SDK sends), .NET's DeflateStream writes it
    /// raw (Intuit's .NET SDK): the first two bytes tell them apart (RFC 1950 §2.2: method 8, a multiple of 31).
    /// </summary>
    private static async Task<Stream> DeflateAsync(Stream body, bool leaveOpen, CancellationToken cancellationToken)
    {
        var buffered = new MemoryStream();
        await body.CopyToAsync(buffered, cancellationToken);
        if (!leaveOpen)
        {
            await body.DisposeAsync();
        }

        var bytes = buffered.GetBuffer();
        var zlib = buffered.Length >= 2 && (bytes[0] & 0x0F) == 8 && ((bytes[0] << 8) | bytes[1]) % 31 == 0;
        buffered.Position = 0;
        return zlib ? new ZLibStream(buffered, CompressionMode.Decompress) : new DeflateStream(buffered, CompressionMode.Decompress);
    }
}

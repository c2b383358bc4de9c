using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>Compressed request bodies, as Intuit's .NET and Java SDKs send every body (gzip by default), over real HTTP.</summary>
public sealed class SandboxRequestEncodingTests(SandboxHost sandbox) : IClassFixture<SandboxHost>, IAsyncLifetime
{
    private const string Realm = SandboxHost.AcmeRealm;
    private string _access = string.Empty;

    public async ValueTask InitializeAsync() => (_access, _) = await sandbox.ConnectAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("deflate-raw")]
    public async Task CreateCustomer_CompressedBody_IsReadAsJson(string encoding)
    {
        var name = $"Compressed {encoding} {Guid.NewGuid():N}"[..40];

        var (status, body) = await SendAsync($"customer?requestid={Guid.NewGuid():N}", $$"""{"DisplayName":"{{name}}"}""", "application/json", encoding);

        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        body["Customer"]!["DisplayName"]!.GetValue<string>().ShouldBe(name);
    }

    [Fact]
    public async Task PostQuery_GzippedStatement_IsRun()
    {
        var (status, body) = await SendAsync("query", "select * from Account MAXRESULTS 2", "application/text", "gzip");

        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        body["QueryResponse"]!["Account"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task CreateCustomer_BrokenGzip_IsTheInvalidJsonFault()
    {
        using var request = Request("customer", new ByteArrayContent([1, 2, 3, 4]), "gzip");
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await sandbox.Http.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        body["Fault"]!["Error"]![0]!["code"]!.GetValue<string>().ShouldBe("500");
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(string pathAndQuery, string text, string mediaType, string encoding)
    {
        var content = new ByteArrayContent(Compress(Encoding.UTF8.GetBytes(text), encoding));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var request = Request(pathAndQuery, content, encoding == "deflate-raw" ? "deflate" : encoding);
        using var response = await sandbox.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var answer = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(answer)!);
    }

    private HttpRequestMessage Request(string pathAndQuery, HttpContent content, string encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{SandboxHost.BasePath}/v3/company/{Realm}/{pathAndQuery}") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _access);
        request.Headers.Accept.ParseAdd("application/json");
        content.Headers.ContentEncoding.Add(encoding);
        return request;
    }

    /// <summary>gzip; deflate as HTTP means it (zlib, Intuit's Java SDK); deflate-raw as .NET's DeflateStream writes it (Intuit's .NET SDK).</summary>
    private static byte[] Compress(byte[] data, string encoding)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true),
            _ => new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true),
        })
        {
            compressor.Write(data);
        }

        return output.ToArray();
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Jobkore.Tests.TestSupport;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>Paths the sandbox has no route for answer in QBO's JSON Fault envelope (docs/quickbooks-api.md §4 code 500), never the host's page.</summary>
public sealed class SandboxUnknownPathTests(SandboxHost sandbox) : IClassFixture<SandboxHost>, IAsyncLifetime
{
    private const string Realm = SandboxHost.AcmeRealm;
    private string _access = string.Empty;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => (_access, _) = await sandbox.ConnectAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static JsonNode Error(JsonObject body) => body["Fault"]!["Error"]![0]!;

    [Theory]
    [InlineData("GET", "invoice/1/pdf")] // GET cdc is served (SandboxChangeDataCaptureTests); POST cdc is not
    [InlineData("POST", "cdc")]
    [InlineData("GET", "invoice/1/pdfx/extra")]
    [InlineData("POST", "invoice/1/pdfx/extra")]
    [InlineData("GET", "batch")]
    public async Task UnknownCompanyPath_AnyMethod_Is400UnsupportedOperationInJson(string method, string rest)
    {
        var (status, body, response) = await sandbox.ApiAsync(_access, new HttpMethod(method), Realm, rest + "?minorversion=75", method == "POST" ? new { } : null);

        status.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        response.Headers.GetValues("intuit_tid").Single().ShouldNotBeNullOrEmpty();
        body["time"]!.GetValue<string>().ShouldContain("T");
        body["Fault"]!["type"]!.GetValue<string>().ShouldBe("ValidationFault");
        Error(body)["code"]!.GetValue<string>().ShouldBe("500");
        Error(body)["Message"]!.GetValue<string>().ShouldBe("Unsupported Operation");
        var fullPath = new Uri(sandbox.Http.BaseAddress!, $"{SandboxHost.BasePath}/v3/company/{Realm}/{rest}?minorversion=75");
        Error(body)["Detail"]!.GetValue<string>().ShouldBe($"Operation Could not find resource for relative : /v3/company/{Realm}/{rest} of full path: {fullPath} is not supported.");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task UnknownPathUnderTheBasePath_Is404WithAJsonFault(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"{SandboxHost.BasePath}/nothing-here");
        using var response = await sandbox.Http.SendAsync(request, Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        response.Headers.GetValues("intuit_tid").Single().ShouldNotBeNullOrEmpty();
        body["time"]!.GetValue<string>().ShouldContain("T");
        Error(body)["code"]!.GetValue<string>().ShouldBe("404");
    }

    [Fact]
    public async Task UnknownCompanyPath_InTheJobkoreApp_IsAJsonFaultNotTheAppsHtml()
    {
        await using var app = new QuickBooksApp();
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        using var response = await http.GetAsync(new Uri($"/qbo-sandbox/v3/company/{QuickBooksApp.AcmeRealm}/cdc", UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json", text);
        // No token: the gateway's 401 comes first, as for every other API path.
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        JsonNode.Parse(text)!["fault"]!["error"]![0]!["code"]!.GetValue<string>().ShouldBe("3200");
    }
}

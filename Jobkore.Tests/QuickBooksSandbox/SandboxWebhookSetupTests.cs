using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>A sandbox whose webhook URL is a path on its own host, where the receiver is mapped too, as the app mounts both.</summary>
public sealed class RelativeWebhookUrlSandboxHost : WebhookSandboxHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [.. base.Settings.Where(s => s.Key != "QuickBooks:Webhooks:Url"), new("QuickBooks:Webhooks:Url", WebhookReceiver.Path)];

    protected override void MapEndpoints(WebApplication app) => Receiver.Map(app);
}

/// <summary>A sandbox configured with a webhook URL it cannot use.</summary>
public sealed class BadWebhookUrlSandboxHost : SandboxHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("QuickBooks:Webhooks:Url", "ftp://example.com/hooks")];
}

/// <summary>The webhook signature's test vector, where webhooks go, and what the sandbox refuses to start with.</summary>
public sealed class SandboxWebhookSetupTests
{
    [Fact]
    public void Sign_IntuitsSampleBodyWithItsVerifierToken_GivesIntuitsSignature()
    {
        var body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Core", "QuickBooks", "Samples", "webhook-legacy-signed.json"));

        var sut = WebhookSignature.Sign("00faeec4-08d0-4996-bb37-698ae19f0149", body);

        body[^1].ShouldBe((byte)'}'); // the exact bytes Intuit signed: no newline after them
        sut.ShouldBe("6q+xGyMirJupwKTh2/WBl2NcdxzxqdIbk3sneKTxLWM=");
    }

    [Fact]
    public async Task RelativeUrl_IsPostedToTheSandboxHostsOwnAddress()
    {
        await using var sandbox = new RelativeWebhookUrlSandboxHost();
        await sandbox.InitializeAsync();
        var (access, _) = await sandbox.ConnectAsync();
        var customer = (await sandbox.WriteAsync(access, SandboxHost.AcmeRealm, "customer", new { DisplayName = "Relative " + Guid.NewGuid().ToString("N")[..8] })).Body["Customer"]!;

        await sandbox.AdvanceToNextWakeAsync();
        var post = (await sandbox.Receiver.WaitForAsync(1)).Single();

        post.Json[0]!["intuitentityid"]!.GetValue<string>().ShouldBe(customer["Id"]!.GetValue<string>());
        (await sandbox.StateAsync())["url"]!.GetValue<string>().ShouldBe(WebhookReceiver.Path);
    }

    [Fact]
    public async Task Start_WebhookUrlNeitherAbsoluteHttpNorAPath_StopsNamingTheSetting()
    {
        await using var sandbox = new BadWebhookUrlSandboxHost();

        var refusal = await Should.ThrowAsync<OptionsValidationException>(async () => await sandbox.InitializeAsync());

        refusal.Message.ShouldContain("QuickBooks:Webhooks:Url 'ftp://example.com/hooks'");
    }

    [Fact]
    public async Task WithoutAUrl_NothingIsQueued_AndTheStateSaysSo()
    {
        await using var sandbox = new SandboxHost();
        await sandbox.InitializeAsync();
        var (access, _) = await sandbox.ConnectAsync();
        await sandbox.WriteAsync(access, SandboxHost.AcmeRealm, "customer", new { DisplayName = "Unheard " + Guid.NewGuid().ToString("N")[..8] });

        var state = await sandbox.Http.GetFromJsonAsync<JsonObject>($"{SandboxHost.BasePath}/_sandbox/webhooks", TestContext.Current.CancellationToken);

        state!["enabled"]!.GetValue<bool>().ShouldBeFalse();
        state["pending"]!["queuedEvents"]!.GetValue<int>().ShouldBe(0);
        state["format"]!.GetValue<string>().ShouldBe("CloudEvents");
        Encoding.UTF8.GetString(await sandbox.Http.GetByteArrayAsync($"{SandboxHost.BasePath}/_sandbox/companies/{SandboxHost.AcmeRealm}/view", TestContext.Current.CancellationToken))
            .ShouldContain("Webhooks: none are sent (set QuickBooks:Webhooks:Url).");
    }
}

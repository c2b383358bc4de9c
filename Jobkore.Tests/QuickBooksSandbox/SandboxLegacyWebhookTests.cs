using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>Webhooks in Intuit's legacy format (docs/quickbooks-api.md §6 "Legacy payload"), to a real receiver.</summary>
public sealed class SandboxLegacyWebhookTests(LegacyWebhookSandboxHost sandbox) : IClassFixture<LegacyWebhookSandboxHost>
{
    private static string Id(JsonNode? record) => record!["Id"]!.GetValue<string>();

    [Fact]
    public async Task Changes_ArePostedAsEventNotifications_OneNotificationPerCompany_Signed()
    {
        var (acme, _) = await sandbox.ConnectAsync(SandboxHost.AcmeRealm);
        var (second, _) = await sandbox.ConnectAsync(SandboxHost.SecondRealm);
        var before = sandbox.Receiver.Received.Count;
        var customer = (await sandbox.WriteAsync(acme, SandboxHost.AcmeRealm, "customer", new { DisplayName = "Legacy " + Guid.NewGuid().ToString("N")[..8] })).Body["Customer"]!;
        var other = (await sandbox.WriteAsync(second, SandboxHost.SecondRealm, "customer", new { DisplayName = "Legacy elsewhere " + Guid.NewGuid().ToString("N")[..8] })).Body["Customer"]!;
        var invoice = (await sandbox.WriteAsync(acme, SandboxHost.AcmeRealm, "invoice", new
        {
            CustomerRef = new { value = Id(customer) },
            Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 10, SalesItemLineDetail = new { } } },
        })).Body["Invoice"]!;
        (await sandbox.WriteAsync(acme, SandboxHost.AcmeRealm, "invoice?operation=delete", new { Id = Id(invoice), SyncToken = "0" })).Status.ShouldBe(HttpStatusCode.OK);

        await sandbox.AdvanceToNextWakeAsync();
        var post = (await sandbox.Receiver.WaitForAsync(before + 1)).Skip(before).Single();

        var lastUpdated = DateTimeOffset.Parse(customer["MetaData"]!["LastUpdatedTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss'.000Z'", System.Globalization.CultureInfo.InvariantCulture);
        var expected = JsonNode.Parse("""
            {"eventNotifications":[
              {"realmId":"ACME","dataChangeEvent":{"entities":[
                {"name":"Customer","id":"CUSTOMER","operation":"Create","lastUpdated":"TIME"},
                {"name":"Invoice","id":"INVOICE","operation":"Create","lastUpdated":"TIME"},
                {"name":"Invoice","id":"INVOICE","operation":"Delete","lastUpdated":"TIME"}]}},
              {"realmId":"SECOND","dataChangeEvent":{"entities":[
                {"name":"Customer","id":"OTHER","operation":"Create","lastUpdated":"TIME"}]}}]}
            """.Replace("ACME", SandboxHost.AcmeRealm, StringComparison.Ordinal).Replace("SECOND", SandboxHost.SecondRealm, StringComparison.Ordinal)
            .Replace("CUSTOMER", Id(customer), StringComparison.Ordinal).Replace("INVOICE", Id(invoice), StringComparison.Ordinal)
            .Replace("OTHER", Id(other), StringComparison.Ordinal).Replace("TIME", lastUpdated, StringComparison.Ordinal));
        JsonNode.DeepEquals(post.Json, expected).ShouldBeTrue(post.Json.ToJsonString());
        post.Headers["intuit-signature"].ShouldBe(Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSandboxHost.VerifierToken), post.Body)));
    }

    [Fact]
    public async Task UserMerge_IsAMergeOfTheSurvivorNamingTheDeletedId()
    {
        var (acme, _) = await sandbox.ConnectAsync(SandboxHost.AcmeRealm);
        var merged = Id((await sandbox.WriteAsync(acme, SandboxHost.AcmeRealm, "customer", new { DisplayName = "Legacy merged " + Guid.NewGuid().ToString("N")[..8] })).Body["Customer"]);
        var survivor = Id((await sandbox.WriteAsync(acme, SandboxHost.AcmeRealm, "customer", new { DisplayName = "Legacy survivor " + Guid.NewGuid().ToString("N")[..8] })).Body["Customer"]);
        var before = sandbox.Receiver.Received.Count;
        using var merge = await sandbox.Http.PostAsync($"{SandboxHost.BasePath}/_sandbox/companies/{SandboxHost.AcmeRealm}/user/customer/{merged}/merge?into={survivor}",
            System.Net.Http.Json.JsonContent.Create(new { }), TestContext.Current.CancellationToken);

        await sandbox.AdvanceToNextWakeAsync();
        var post = (await sandbox.Receiver.WaitForAsync(before + 1)).Skip(before).Single();

        merge.StatusCode.ShouldBe(HttpStatusCode.OK);
        var last = post.Json["eventNotifications"]![0]!["dataChangeEvent"]!["entities"]!.AsArray().Last()!;
        (last["name"]!.GetValue<string>(), last["id"]!.GetValue<string>(), last["operation"]!.GetValue<string>(), last["deletedId"]!.GetValue<string>())
            .ShouldBe(("Customer", survivor, "Merge", merged));
    }
}

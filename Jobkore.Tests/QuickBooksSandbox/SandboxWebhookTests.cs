using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>
/// Webhooks as Intuit sends them (docs/quickbooks-api.md §6, §10 "Webhooks"), in CloudEvents, to a real receiver over
/// HTTP; the delivery loop's waits are on the fake clock, which each test moves to the instant the loop waits for.
/// </summary>
public sealed class SandboxWebhookTests(WebhookSandboxHost sandbox) : IClassFixture<WebhookSandboxHost>, IAsyncLifetime
{
    private const string Realm = SandboxHost.AcmeRealm;
    private string _access = string.Empty;

    private WebhookReceiver Receiver => sandbox.Receiver;

    public async ValueTask InitializeAsync() => (_access, _) = await sandbox.ConnectAsync();

    public ValueTask DisposeAsync()
    {
        Receiver.Respond = _ => Task.FromResult(StatusCodes.Status200OK);
        return ValueTask.CompletedTask;
    }

    private async Task<JsonObject> CreateAsync(string entity, object body, string realm = Realm, string? access = null)
    {
        var (status, answer, _) = await sandbox.WriteAsync(access ?? _access, realm, entity.ToLowerInvariant(), body);
        status.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        return answer[entity]!.AsObject();
    }

    private static string Id(JsonNode? record) => record!["Id"]!.GetValue<string>();

    private static string Text(JsonNode? node) => node!.GetValue<string>();

    private static string Signature(byte[] body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSandboxHost.VerifierToken), body));

    private static object Invoice(string customerId) => new
    {
        CustomerRef = new { value = customerId },
        Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 75, SalesItemLineDetail = new { } } },
    };

    /// <summary>The POSTs that arrive after <paramref name="before"/>, once <paramref name="count"/> of them have.</summary>
    private async Task<IReadOnlyList<ReceivedWebhook>> NewPostsAsync(int before, int count) => [.. (await Receiver.WaitForAsync(before + count)).Skip(before)];

    private static IEnumerable<string> Types(ReceivedWebhook post) => post.Json.AsArray().Select(e => Text(e!["type"]));

    [Fact]
    public async Task Create_IsPostedAsOneCloudEvent_SignedOverItsExactBytes_WithIntuitsHeaders()
    {
        var before = Receiver.Received.Count;
        var customer = await CreateAsync("Customer", new { DisplayName = "Hooked " + Guid.NewGuid().ToString("N")[..8] });

        var waited = await sandbox.AdvanceToNextWakeAsync();
        var post = (await NewPostsAsync(before, 1)).Single();

        waited.ShouldBe(TimeSpan.FromSeconds(1)); // the batch window
        var cloudEvent = post.Json.AsArray().ShouldHaveSingleItem()!.AsObject();
        Text(cloudEvent["specversion"]).ShouldBe("1.0");
        Text(cloudEvent["type"]).ShouldBe("qbo.customer.created.v1");
        Text(cloudEvent["datacontenttype"]).ShouldBe("application/json");
        (Text(cloudEvent["intuitentityid"]), Text(cloudEvent["intuitaccountid"])).ShouldBe((Id(customer), Realm));
        Text(cloudEvent["source"]).ShouldStartWith("intuit.");
        Guid.TryParse(Text(cloudEvent["id"]), out _).ShouldBeTrue();
        // The event's time has milliseconds; the record's LastUpdatedTime whole seconds.
        (WebhookSandboxHost.Instant(cloudEvent["time"]) - DateTimeOffset.Parse(Text(customer["MetaData"]!["LastUpdatedTime"]), System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBeInRange(TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Text(cloudEvent["time"]).ShouldEndWith("Z");
        cloudEvent["data"]!.AsObject().Count.ShouldBe(0);
        post.Headers["intuit-signature"].ShouldBe(Signature(post.Body));
        post.Headers["content-type"].ShouldBe("application/json; charset=utf-8");
        post.Headers["intuit-notification-schema-version"].ShouldBe("0.1");
        post.Headers["user-agent"].ShouldBe("intuit_notification_server/0.1");
        post.Headers["intuit-t-id"].ShouldNotBeNullOrWhiteSpace();
        post.Headers["intuit-created-time"].ShouldEndWith("Z");
        var state = await sandbox.WaitForStateAsync(s => s["pending"]!["post"] is null, "the POST to be recorded");
        var delivered = state["delivered"]!["recent"]!.AsArray().Last()!;
        (Text(delivered["transactionId"]), delivered["events"]!.GetValue<int>(), delivered["attempts"]!.GetValue<int>()).ShouldBe((post.Headers["intuit-t-id"], 1, 1));
    }

    [Fact]
    public async Task ChangesWithinTheBatchWindow_GoInOnePost_InOrder_WithEventsOfSeveralCompanies()
    {
        var (secondAccess, _) = await sandbox.ConnectAsync(SandboxHost.SecondRealm);
        var before = Receiver.Received.Count;
        var customer = await CreateAsync("Customer", new { DisplayName = "Batched " + Guid.NewGuid().ToString("N")[..8] });
        (await sandbox.WriteAsync(_access, Realm, "customer", new { Id = Id(customer), SyncToken = "0", sparse = true, CompanyName = "Batched Co" })).Status.ShouldBe(HttpStatusCode.OK);
        var invoice = await CreateAsync("Invoice", Invoice(Id(customer)));
        (await sandbox.WriteAsync(_access, Realm, "invoice?operation=void", new { Id = Id(invoice), SyncToken = "0" })).Status.ShouldBe(HttpStatusCode.OK);
        var other = await CreateAsync("Customer", new { DisplayName = "Elsewhere " + Guid.NewGuid().ToString("N")[..8] }, SandboxHost.SecondRealm, secondAccess);

        await sandbox.AdvanceToNextWakeAsync();
        var post = (await NewPostsAsync(before, 1)).Single();

        Types(post).ShouldBe(["qbo.customer.created.v1", "qbo.customer.updated.v1", "qbo.invoice.created.v1", "qbo.invoice.voided.v1", "qbo.customer.created.v1"]);
        post.Json.AsArray().Select(e => (Text(e!["intuitaccountid"]), Text(e["intuitentityid"]))).ShouldBe(
            [(Realm, Id(customer)), (Realm, Id(customer)), (Realm, Id(invoice)), (Realm, Id(invoice)), (SandboxHost.SecondRealm, Id(other))]);
        post.Json.AsArray().Select(e => Text(e!["id"])).Distinct().Count().ShouldBe(5);
    }

    [Fact]
    public async Task MoreThan100Events_AreSentInPostsOfAtMost100()
    {
        var before = Receiver.Received.Count;
        for (var batch = 0; batch < 4; batch++)
        {
            var items = Enumerable.Range(0, 30).Select(i => new { bId = $"b{i}", operation = "create", Customer = new { DisplayName = $"Many {Guid.NewGuid():N}" } }).ToArray();
            (await sandbox.WriteAsync(_access, Realm, "batch", new { BatchItemRequest = items })).Status.ShouldBe(HttpStatusCode.OK);
        }

        await sandbox.AdvanceToNextWakeAsync();
        var posts = await NewPostsAsync(before, 2);

        posts.Select(p => p.Json.AsArray().Count).ShouldBe([100, 20]);
        posts.SelectMany(Types).ShouldAllBe(t => t == "qbo.customer.created.v1");
    }

    [Fact]
    public async Task ReceiverAnswering500_GetsTheSamePostAgainOnIntuitsScheduleScaled_LaterEventsWaitBehindIt()
    {
        var failuresLeft = 2;
        Receiver.Respond = _ => Task.FromResult(Interlocked.Decrement(ref failuresLeft) >= 0 ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK);
        var before = Receiver.Received.Count;
        await CreateAsync("Customer", new { DisplayName = "Retried " + Guid.NewGuid().ToString("N")[..8] });
        await sandbox.AdvanceToNextWakeAsync();
        await Receiver.WaitForAsync(before + 1);
        var later = await CreateAsync("Customer", new { DisplayName = "Waiting " + Guid.NewGuid().ToString("N")[..8] });

        var firstRetry = await sandbox.AdvanceToNextWakeAsync();
        await Receiver.WaitForAsync(before + 2);
        var pending = (await sandbox.WaitForStateAsync(s => s["pending"]!["post"]?["attempts"]?.GetValue<int>() == 2, "the second attempt"))["pending"]!;
        var secondRetry = await sandbox.AdvanceToNextWakeAsync();
        await Receiver.WaitForAsync(before + 3);
        await sandbox.AdvanceToNextWakeAsync(); // what is left of the later event's batch window
        var posts = await NewPostsAsync(before, 4);

        firstRetry.ShouldBe(TimeSpan.FromSeconds(10) / WebhookSandboxHost.RetryTimeScale);
        secondRetry.ShouldBe(TimeSpan.FromSeconds(20) / WebhookSandboxHost.RetryTimeScale);
        (pending["post"]!["lastStatus"]!.GetValue<int>(), pending["queuedEvents"]!.GetValue<int>()).ShouldBe((500, 1));
        posts.Take(3).Select(p => Convert.ToBase64String(p.Body)).Distinct().ShouldHaveSingleItem();
        posts.Take(3).Select(p => p.Headers["intuit-t-id"]).Distinct().ShouldHaveSingleItem();
        Text(posts[3].Json[0]!["intuitentityid"]).ShouldBe(Id(later));
        var state = await sandbox.WaitForStateAsync(s => s["pending"]!["post"] is null && s["pending"]!["queuedEvents"]!.GetValue<int>() == 0, "both POSTs to be delivered");
        state["delivered"]!["recent"]!.AsArray().TakeLast(2).Select(p => p!["attempts"]!.GetValue<int>()).ShouldBe([3, 1]);
    }

    [Fact]
    public async Task ReceiverSlowerThanTheResponseTimeout_HasFailed_AndGetsThePostAgain()
    {
        var release = new TaskCompletionSource();
        var answered = 0;
        Receiver.Respond = async _ =>
        {
            if (Interlocked.Increment(ref answered) == 1)
            {
                await release.Task;
            }

            return StatusCodes.Status200OK;
        };
        var before = Receiver.Received.Count;
        await CreateAsync("Customer", new { DisplayName = "Slow " + Guid.NewGuid().ToString("N")[..8] });
        await sandbox.AdvanceToNextWakeAsync();
        await Receiver.WaitForAsync(before + 1);

        sandbox.Time.Advance(TimeSpan.FromSeconds(3));
        var failed = (await sandbox.WaitForStateAsync(s => s["pending"]!["post"]?["attempts"]?.GetValue<int>() == 1, "the timed-out attempt"))["pending"]!["post"]!;
        release.SetResult();
        await sandbox.AdvanceToNextWakeAsync();
        var posts = await NewPostsAsync(before, 2);

        failed["lastStatus"].ShouldBeNull();
        Text(failed["lastError"]).ShouldBe("No answer within 3000 ms.");
        posts[1].Body.ShouldBe(posts[0].Body);
        var state = await sandbox.WaitForStateAsync(s => s["pending"]!["post"] is null, "the retry to be delivered");
        state["delivered"]!["recent"]!.AsArray().Last()!["attempts"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task ReceiverNeverAnswering200_IsDroppedWhenTheOldestEventWouldBe24HoursOld_ThenTheNextPostIsSent()
    {
        Receiver.Respond = _ => Task.FromResult(StatusCodes.Status503ServiceUnavailable);
        var before = Receiver.Received.Count;
        var droppedBefore = (await sandbox.StateAsync())["dropped"]!["posts"]!.GetValue<int>();
        var created = sandbox.Time.GetUtcNow();
        await CreateAsync("Customer", new { DisplayName = "Dropped " + Guid.NewGuid().ToString("N")[..8] });
        var waits = new List<TimeSpan>();
        while ((await sandbox.StateAsync())["dropped"]!["posts"]!.GetValue<int>() == droppedBefore)
        {
            waits.Add(await sandbox.AdvanceToNextWakeAsync());
            await Receiver.WaitForAsync(before + waits.Count);
            await sandbox.WaitForStateAsync(s => s["waitingUntil"] is { } at && WebhookSandboxHost.Instant(at) > sandbox.Time.GetUtcNow()
                || s["dropped"]!["posts"]!.GetValue<int>() > droppedBefore, "the attempt to be recorded");
        }

        var dropped = (await sandbox.StateAsync())["dropped"]!;
        Receiver.Respond = _ => Task.FromResult(StatusCodes.Status200OK);
        var (access, _) = await sandbox.ConnectAsync();
        var next = await CreateAsync("Customer", new { DisplayName = "After " + Guid.NewGuid().ToString("N")[..8] }, access: access);
        await sandbox.AdvanceToNextWakeAsync();
        var after = (await NewPostsAsync(before + waits.Count, 1)).Single();

        var scale = WebhookSandboxHost.RetryTimeScale;
        waits.ShouldBe([
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10) / scale, TimeSpan.FromSeconds(20) / scale, TimeSpan.FromSeconds(30) / scale,
            TimeSpan.FromMinutes(5) / scale, TimeSpan.FromMinutes(20) / scale, TimeSpan.FromHours(2) / scale, TimeSpan.FromHours(4) / scale,
            TimeSpan.FromHours(6) / scale, TimeSpan.FromHours(6) / scale,
        ]);
        (sandbox.Time.GetUtcNow() - created).ShouldBeLessThan(TimeSpan.FromHours(24) / scale + TimeSpan.FromSeconds(2));
        Receiver.Received.Skip(before).Take(waits.Count).Select(p => p.Headers["intuit-t-id"]).Distinct().ShouldHaveSingleItem();
        (dropped["posts"]!.GetValue<int>() - droppedBefore).ShouldBe(1);
        dropped["recent"]!.AsArray().Last()!["attempts"]!.GetValue<int>().ShouldBe(10);
        Text(after.Json[0]!["intuitentityid"]).ShouldBe(Id(next));
    }

    [Fact]
    public async Task UserChanges_AreEvents_AMergeIsMergedForTheSurvivorWithTheDeletedId_EachMovedInvoiceUpdated()
    {
        var merged = await CreateAsync("Customer", new { DisplayName = "Merged away " + Guid.NewGuid().ToString("N")[..8] });
        var survivor = await CreateAsync("Customer", new { DisplayName = "Survivor " + Guid.NewGuid().ToString("N")[..8] });
        var invoice = await CreateAsync("Invoice", Invoice(Id(merged)));
        await sandbox.AdvanceToNextWakeAsync();
        await sandbox.WaitForStateAsync(s => s["pending"]!["post"] is null && s["pending"]!["queuedEvents"]!.GetValue<int>() == 0, "the creates to be delivered");
        var before = Receiver.Received.Count;

        using var note = await sandbox.Http.PostAsync($"{SandboxHost.BasePath}/_sandbox/companies/{Realm}/user/invoice/{Id(invoice)}/update",
            System.Net.Http.Json.JsonContent.Create(new { PrivateNote = "Changed in QuickBooks" }), TestContext.Current.CancellationToken);
        using var merge = await sandbox.Http.PostAsync($"{SandboxHost.BasePath}/_sandbox/companies/{Realm}/user/customer/{Id(merged)}/merge?into={Id(survivor)}",
            System.Net.Http.Json.JsonContent.Create(new { }), TestContext.Current.CancellationToken);
        await sandbox.AdvanceToNextWakeAsync();
        var post = (await NewPostsAsync(before, 1)).Single();

        (note.StatusCode, merge.StatusCode).ShouldBe((HttpStatusCode.OK, HttpStatusCode.OK));
        Types(post).ShouldBe(["qbo.invoice.updated.v1", "qbo.invoice.updated.v1", "qbo.customer.merged.v1"]);
        var mergeEvent = post.Json.AsArray().Last()!;
        Text(mergeEvent["intuitentityid"]).ShouldBe(Id(survivor));
        Text(mergeEvent["data"]!["deletedId"]).ShouldBe(Id(merged));
    }
}

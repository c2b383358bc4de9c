using Jobkore.QuickBooksSandbox.Accounting;
using Microsoft.Extensions.Options;

namespace Jobkore.QuickBooksSandbox.Webhooks;

/// <summary>
/// <c>GET {base}/_sandbox/webhooks</c>: where webhooks go and what became of them (<see cref="WebhookDeliveryLog"/>).
/// It spans every company, so like the fault controls it is never mapped in a sandbox shared by tenants.
/// </summary>
internal static class WebhookEndpoints
{
    public static void Map(IEndpointRouteBuilder group) =>
        group.MapGet("/_sandbox/webhooks", (WebhookOutbox outbox, WebhookDeliveryLog log, IOptions<QuickBooksSandboxOptions> options) =>
            Results.Content(Describe(outbox, log, options.Value.Webhooks).ToJsonString(Json.Output), "application/json"));

    public static System.Text.Json.Nodes.JsonObject Describe(WebhookOutbox outbox, WebhookDeliveryLog log, SandboxWebhooksOptions webhooks)
    {
        var state = log.Snapshot(outbox.QueuedCount);
        state["enabled"] = outbox.Sends;
        state["url"] = webhooks.Url;
        state["format"] = webhooks.Format.ToString();
        return state;
    }
}

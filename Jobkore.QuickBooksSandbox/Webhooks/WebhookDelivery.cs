using Microsoft.Extensions.Options;

namespace Jobkore.QuickBooksSandbox.Webhooks;

/// <summary>
/// The sandbox's webhook sender, as Intuit delivers (docs/quickbooks-api.md §10 "Webhooks"): events are gathered for the
/// batch window after the oldest, sent at most 100 to a POST, one POST at a time and in order; a POST not answered 200
/// within the response timeout is sent again on Intuit's schedule, and the events behind it wait, until its oldest event
/// is 24 hours old — then it is dropped and counted. Every wait is on the sandbox's clock.
/// </summary>
internal sealed partial class WebhookDelivery(
    WebhookOutbox outbox,
    WebhookDeliveryLog log,
    WebhookSender sender,
    WebhookTarget target,
    IOptions<QuickBooksSandboxOptions> options,
    TimeProvider time,
    ILogger<WebhookDelivery> logger) : BackgroundService
{
    public const int MaxEventsPerPost = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var post = log.Current ?? await NextPostAsync(stoppingToken);
                await DeliverAsync(post, stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                failures++;
                LogLoopFailed(logger, exception);
                await WaitUntilAsync(time.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, failures))), stoppingToken);
            }
        }
    }

    private async Task<WebhookPost> NextPostAsync(CancellationToken stoppingToken)
    {
        await outbox.WaitForEventsAsync(stoppingToken);
        var webhooks = options.Value.Webhooks;
        await WaitUntilAsync(outbox.OldestQueuedAt!.Value + webhooks.BatchWindow, stoppingToken);
        var events = outbox.Take(MaxEventsPerPost);
        var body = WebhookPayload.Build(webhooks.Format, WebhookPayload.Source(options.Value.ClientId), events);
        var post = new WebhookPost(Guid.NewGuid().ToString(), time.GetUtcNow(), events, body, WebhookSignature.Sign(options.Value.WebhookVerifierToken, body));
        log.Started(post);
        return post;
    }

    private async Task DeliverAsync(WebhookPost post, CancellationToken stoppingToken)
    {
        var webhooks = options.Value.Webhooks;
        while (true)
        {
            var attempt = target.TryResolve(out var url, out var error)
                ? await sender.SendAsync(url, post, webhooks.ResponseTimeout, stoppingToken)
                : new WebhookAttempt(null, error);
            var now = time.GetUtcNow();
            var attempts = log.Attempted(attempt, now);
            if (attempt.Succeeded)
            {
                log.Delivered(now);
                return;
            }

            var next = now + WebhookRetrySchedule.DelayAfter(attempts, webhooks.RetryTimeScale);
            if (next - post.OldestEventAt > WebhookRetrySchedule.EventLifetime(webhooks.RetryTimeScale))
            {
                log.Dropped(now);
                LogDropped(logger, post.TransactionId, post.Events.Count, attempts);
                return;
            }

            LogRetrying(logger, post.TransactionId, attempts, attempt.Status, next);
            log.Retrying(next);
            await WaitUntilAsync(next, stoppingToken);
        }
    }

    /// <summary>Waits until <paramref name="at"/> on the sandbox's clock; the log says so once the timer runs.</summary>
    private async Task WaitUntilAsync(DateTimeOffset at, CancellationToken stoppingToken)
    {
        var delay = at - time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        var wait = Task.Delay(delay, time, stoppingToken);
        log.Waiting(at);
        try
        {
            await wait;
        }
        finally
        {
            log.Waiting(null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook POST {TransactionId} failed (attempt {Attempts}, status {Status}); sent again at {NextAttemptAt}.")]
    private static partial void LogRetrying(ILogger logger, string transactionId, int attempts, int? status, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook POST {TransactionId} dropped with its {Events} events after {Attempts} attempts: its oldest event is past Intuit's 24 hours.")]
    private static partial void LogDropped(ILogger logger, string transactionId, int events, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "The webhook delivery loop failed; it goes on after a pause.")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);
}

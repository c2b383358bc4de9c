namespace Jobkore.QuickBooksSandbox.Webhooks;

/// <summary>
/// When Intuit sends a failed webhook POST again: 10 s, 20 s, 30 s, 5 min, 20 min, 2 h, 4 h, 6 h after each failure, then
/// every 6 h, until its oldest event is 24 h old (docs/quickbooks-api.md §10 "Webhooks"; the 24 h is §6's scraped copy,
/// UNCONFIRMED). Every span is divided by the options' RetryTimeScale.
/// </summary>
internal static class WebhookRetrySchedule
{
    private static readonly TimeSpan[] s_delays =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(20), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(6),
    ];

    private static readonly TimeSpan s_thereafter = TimeSpan.FromHours(6);
    private static readonly TimeSpan s_eventLifetime = TimeSpan.FromHours(24);

    /// <summary>How long after its <paramref name="failedAttempts"/>-th failed attempt a POST is sent again.</summary>
    public static TimeSpan DelayAfter(int failedAttempts, double scale) =>
        (failedAttempts <= s_delays.Length ? s_delays[failedAttempts - 1] : s_thereafter) / scale;

    /// <summary>How long an event is worth sending for.</summary>
    public static TimeSpan EventLifetime(double scale) => s_eventLifetime / scale;
}

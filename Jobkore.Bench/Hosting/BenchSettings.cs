using System.Globalization;
using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.QuickBooksSandbox;

namespace Jobkore.Bench.Hosting;

/// <summary>
/// One row's configuration: the app's keys, and the sandbox process's. Under limits the sandbox enforces Intuit's
/// numbers (its defaults) with its minute shortened <c>timeScale</c> times, and the client paces to the same shortened
/// minute. Without limits the sandbox counts nothing and the client's limits are set far above anything a run sends.
/// The app runs on an empty database of <see cref="Database"/>'s kind, created for the row (<see cref="BenchDatabase"/>).
/// </summary>
internal sealed record BenchSettings(Dictionary<string, string?> App, Dictionary<string, string?> Sandbox)
{
    /// <summary>Operations in one batch request (docs/quickbooks-api.md §2 "Batch").</summary>
    public const int QboBatchLimit = 30;

    private const string Unlimited = "100000";

    /// <summary>The database the app runs on: SQLite unless a row says otherwise.</summary>
    public DatabaseProvider Database { get; init; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Documents a minute Intuit's limits carry at most, the sandbox's defaults: every batch request full and every other
    /// request a single write (40 × 30 + 460 = 1,660).
    /// </summary>
    public static int CeilingPerMinute { get; } = CeilingOf(new SandboxLimitsOptions());

    public static BenchSettings For(bool limits, int batchSize, double timeScale)
    {
        var scale = timeScale.ToString(CultureInfo.InvariantCulture);
        var app = new Dictionary<string, string?> { ["Sync:BatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture) };
        var sandbox = new Dictionary<string, string?> { ["QuickBooks:Limits:Enabled"] = limits ? "true" : "false" };
        if (limits)
        {
            sandbox["QuickBooks:Limits:TimeScale"] = scale;
            app[$"{QboClientOptions.SectionName}:TimeScale"] = scale;
        }
        else
        {
            app[$"{QboClientOptions.SectionName}:RequestsPerMinute"] = Unlimited;
            app[$"{QboClientOptions.SectionName}:BatchRequestsPerMinute"] = Unlimited;
            app[$"{QboClientOptions.SectionName}:RequestsPerSecond"] = Unlimited;
        }

        return new BenchSettings(app, sandbox);
    }

    private static int CeilingOf(SandboxLimitsOptions limits) =>
        limits.BatchRequestsPerMinute * QboBatchLimit + (limits.RequestsPerMinute - limits.BatchRequestsPerMinute);
}

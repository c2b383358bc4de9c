using System.Diagnostics;
using System.Globalization;
using Jobkore.Bench.Hosting;
using Jobkore.Bench.Reporting;
using Jobkore.Bench.Scenarios;
using Jobkore.Core.Data;

namespace Jobkore.Bench;

/// <summary>
/// The bench's entry point. <c>dotnet run -c Release --project Jobkore.Bench</c> runs every row, each in a child process, and prints the tables.
/// A child is started as <c>Jobkore.Bench --scenario backlog --mode limits --batch 30 --scale 10</c> (on SQLite, or with
/// <c>--database postgresql</c> on a database of its own on the server of <c>JOBKORE_BENCH_POSTGRES</c>), or <c>--scenario lists</c>
/// (<c>head-of-line</c>, <c>many-companies</c>, <c>live --pages N --changes M</c>); each child starts its QuickBooks sandbox as
/// <c>Jobkore.Bench --serve-sandbox …</c>. Options for the parent: <c>--scale N</c> (how many times shorter the sandbox's minute
/// is under limits; default 10), <c>--only busy-day|backlog|backlog-postgresql|lists|long-history|head-of-line|many-companies|live</c>.
/// The rows: busy day and backlog on SQLite (batches of 30 and one request per record, under Intuit's limits and without),
/// backlog-postgresql (the backlog's batched rows on PostgreSQL: a throwaway cluster started with scripts/postgres-cluster.sh
/// unless <c>JOBKORE_BENCH_POSTGRES</c> names a server), long-history, head-of-line, many-companies, lists, and live (a status
/// change from its commit to the badge in 20 and in 50 open invoice lists in Debian's chromium, which must be at
/// /usr/bin/chromium, and the database queries each change costs each page).
/// </summary>
internal static class BenchCommand
{
    private const double DefaultTimeScale = 10;
    private static readonly string[] s_scenarios = ["busy-day", "backlog"];
    private static readonly bool[] s_modes = [true, false];
    private static readonly int[] s_batchSizes = [30, 1];
    private const string BacklogPostgreSql = "backlog-postgresql";
    private static readonly string[] s_rows = ["busy-day", "backlog", BacklogPostgreSql, "lists", "long-history", "head-of-line", "many-companies", "live"];

    public static async Task<int> Main(string[] args)
    {
        if (args is [SandboxProcess.ServeCommand, .. var sandboxArgs])
        {
            return await SandboxProcess.ServeAsync(sandboxArgs);
        }

        var options = Parse(args);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        var scale = options.TryGetValue("scale", out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : DefaultTimeScale;
        if (options.TryGetValue("scenario", out var scenario))
        {
            await RunChildAsync(scenario, options, scale, stop.Token);
            return 0;
        }

        return await RunAllAsync(scale, options.GetValueOrDefault("only"), stop.Token);
    }

    private static async Task RunChildAsync(string scenario, Dictionary<string, string> options, double scale, CancellationToken cancellationToken)
    {
        var database = BenchDatabase.Parse(options.GetValueOrDefault("database", "sqlite"));
        if (database != DatabaseProvider.Sqlite && scenario is "lists" or "head-of-line" or "many-companies" or "live")
        {
            throw new ArgumentException($"The {scenario} row runs on SQLite only; --database postgresql is for busy-day, backlog and long-history.", nameof(options));
        }

        switch (scenario)
        {
            case "lists":
                ChildProcess.Report(await ListTimings.RunAsync(cancellationToken));
                return;
            case "head-of-line":
                ChildProcess.Report(await HeadOfLine.RunAsync(scale, cancellationToken));
                return;
            case "many-companies":
                ChildProcess.Report(await ManyCompanies.RunAsync(cancellationToken));
                return;
            case "live":
                var pages = int.Parse(options.GetValueOrDefault("pages", "20"), CultureInfo.InvariantCulture);
                var changes = int.Parse(options.GetValueOrDefault("changes", "100"), CultureInfo.InvariantCulture);
                ChildProcess.Report(await LiveLatency.RunAsync(pages, changes, cancellationToken));
                return;
        }

        var limits = options.GetValueOrDefault("mode", "limits") switch
        {
            "limits" => true,
            "unlimited" => false,
            var other => throw new ArgumentException($"Unknown mode '{other}': use limits or unlimited."),
        };
        var batch = int.Parse(options.GetValueOrDefault("batch", "30"), CultureInfo.InvariantCulture);
        ChildProcess.Report(await ThroughputRun.RunAsync(Workload.Named(scenario), database, limits, batch, scale, cancellationToken));
    }

    private static async Task<int> RunAllAsync(double scale, string? only, CancellationToken cancellationToken)
    {
        if (only is not null && !s_rows.Contains(only))
        {
            throw new ArgumentException($"Unknown row '{only}': use {string.Join(", ", s_rows)}.", nameof(only));
        }

        var total = Stopwatch.StartNew();
        var scaleArgument = scale.ToString(CultureInfo.InvariantCulture);
        var rows = new List<RowResult>();
        foreach (var scenario in s_scenarios.Where(s => only is null || only == s))
        {
            foreach (var limits in s_modes)
            {
                foreach (var batch in s_batchSizes)
                {
                    rows.Add(await RunThroughputRowAsync(scenario, DatabaseProvider.Sqlite, limits, batch, scaleArgument, new Dictionary<string, string>(), cancellationToken));
                }
            }
        }

        string? postgreSqlServer = null;
        if (only is null or BacklogPostgreSql)
        {
            // One server for both rows, each on a database of its own; a cluster started here is stopped however the rows end.
            await using var postgres = await PostgresServer.StartAsync(cancellationToken);
            postgreSqlServer = postgres.IsThrowaway
                ? "a throwaway local cluster started with scripts/postgres-cluster.sh (fsync, synchronous_commit and full_page_writes off, as for the tests)"
                : $"the server of {BenchDatabase.PostgresVariable}";
            var environment = new Dictionary<string, string> { [BenchDatabase.PostgresVariable] = postgres.ConnectionString };
            foreach (var limits in s_modes)
            {
                rows.Add(await RunThroughputRowAsync("backlog", DatabaseProvider.PostgreSql, limits, BenchSettings.QboBatchLimit, scaleArgument, environment, cancellationToken));
            }
        }

        RowResult? longHistory = null;
        if (only is null or "long-history")
        {
            Console.Error.WriteLine("long history, unlimited, batch 30…");
            longHistory = await ChildProcess.RunAsync<RowResult>(["--scenario", "long-history", "--mode", "unlimited", "--batch", "30"], cancellationToken);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {longHistory.Documents} documents in {longHistory.Seconds:0.00} s"));
        }

        HeadOfLineResult? headOfLine = null;
        if (only is null or "head-of-line")
        {
            Console.Error.WriteLine("head of line: B's re-syncs during A's backlog…");
            headOfLine = await ChildProcess.RunAsync<HeadOfLineResult>(["--scenario", "head-of-line", "--scale", scaleArgument], cancellationToken);
        }

        ManyCompaniesResult? manyCompanies = null;
        if (only is null or "many-companies")
        {
            Console.Error.WriteLine($"{ManyCompanies.Companies} companies at once, real time…");
            manyCompanies = await ChildProcess.RunAsync<ManyCompaniesResult>(["--scenario", "many-companies"], cancellationToken);
        }

        ListResult? lists = null;
        if (only is null or "lists")
        {
            Console.Error.WriteLine("50,000 invoices: waiting count and first list page…");
            lists = await ChildProcess.RunAsync<ListResult>(["--scenario", "lists"], cancellationToken);
        }

        var live = new List<LiveResult>();
        if (only is null or "live")
        {
            foreach (var (pages, changes) in LiveLatency.Rows)
            {
                Console.Error.WriteLine($"live status: {changes} changes watched by {pages} open invoice lists…");
                var row = await ChildProcess.RunAsync<LiveResult>(
                    ["--scenario", "live", "--pages", pages.ToString(CultureInfo.InvariantCulture), "--changes", changes.ToString(CultureInfo.InvariantCulture)], cancellationToken);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  p50 {row.P50Ms} ms, p95 {row.P95Ms} ms over {row.Samples} arrivals"));
                live.Add(row);
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Jobkore.Bench — {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}. "
            + $"The QuickBooks sandbox runs in a process of its own (QuickBooks:BuiltInSandbox:Url), so the peak working set is the app's alone. "
            + $"Under limits the sandbox enforces Intuit's per-company limits (500 requests/min, 10 requests/s, 10 at once, 40 batch requests/min of ≤ 30 operations) "
            + $"with its minute and second shortened {scale:0.##}× (QuickBooks:Limits:TimeScale = {scale:0.##}); the client paces to the same minute and second."));
        Console.WriteLine();
        if (rows.Count > 0)
        {
            Console.WriteLine(MarkdownTables.Throughput(rows));
            Console.WriteLine("Ceiling achieved: documents per minute of sandbox time over the documents a minute of the limits can carry "
                + "(40 batches × 30 + the other 460 requests = 1,660). A run shorter than a minute can pass 100 %: Intuit's limits count "
                + "per sliding minute, so a whole minute's allowance may go at once. vs baseline: documents/s over the same scenario and "
                + "mode sent one request per record.");
            if (postgreSqlServer is not null)
            {
                Console.WriteLine();
                Console.WriteLine("PostgreSQL: the backlog's batched rows again with the app on PostgreSQL instead of SQLite (Database:Provider = PostgreSql), "
                    + $"each on an empty database of its own on {postgreSqlServer}; the engine, sandbox and workload are the same, so the "
                    + "difference is what the database costs a run. Their baseline is SQLite's one-request-per-record row of the same mode "
                    + "(— when it did not run).");
            }

            Console.WriteLine();
        }

        if (longHistory is not null)
        {
            Console.WriteLine(MarkdownTables.LongHistory(longHistory, Workload.LongHistory));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"A business's whole history sent the day it first connects: one Sync Now of {longHistory.Documents:N0} documents with the limits off, timed "
                + $"from the request to the run's answer after a small warm-up run; writing the records into the database, through the app's model in its "
                + $"process, took {longHistory.GenerationSeconds:0} s before it and is not timed."));
            Console.WriteLine();
        }

        if (headOfLine is not null)
        {
            Console.WriteLine(MarkdownTables.HeadOfLine(headOfLine));
            Console.WriteLine("Business B (its own sandbox company, a few invoices already synced) edits one invoice and presses Re-sync, "
                + $"{HeadOfLine.Resyncs} times one after another, starting once business A's backlog run is sending; each is timed from the request "
                + "to the run's answer with the invoice Up to date.");
            Console.WriteLine();
        }

        if (manyCompanies is not null)
        {
            Console.WriteLine(MarkdownTables.ManyCompanies(manyCompanies));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{manyCompanies.Companies} businesses, each connected to a sandbox company of its own with {manyCompanies.DocumentsEach:N0} documents waiting, "
                + $"all asked to Sync Now at the same moment under Intuit's limits in real time (TimeScale 1); the wall time ends with the last company's answer. "
                + $"A company's ceiling is its {manyCompanies.CeilingPerMinute:N0} documents a minute; the lowest company is the last one done, its "
                + $"{manyCompanies.DocumentsEach:N0} documents over the minutes it waited for them. {manyCompanies.DocumentsEach:N0} documents fit in one minute's allowance, "
                + $"so the limits seldom bind: the figure is how well the app serves many companies at once."));
            Console.WriteLine();
        }

        if (lists is not null)
        {
            Console.WriteLine(MarkdownTables.Lists(lists));
        }

        if (live.Count > 0)
        {
            Console.WriteLine(MarkdownTables.Live(live));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"A status change from its commit to the badge in the DOM of every open invoice list. Each change is committed as the "
                + $"engine commits one (an invoice of the list's first page has its sync record saved through the app's DbContext, in turns "
                + $"Failed and Up to date; once it commits, the app reads the record's new sync state and the business's counts once and sends "
                + $"them to every open page, which patches its row without a query), {LiveLatency.Spacing.TotalMilliseconds:0} ms after the one "
                + $"before, so each is measured on its own. Every page is in a browser context of its own, signed in as a person of the business, in Debian's "
                + $"chromium on the same machine as the app (the app, its QuickBooks sandbox and every page share its cores); a MutationObserver "
                + $"in each page notes the wall clock when the badge shows the new status, and the wall clock just before SaveChanges is the start. "
                + $"Slowest page: for each change, the last page to show it. App's part: from the commit until a listener of the business "
                + $"is handed the change with its new state, as every open page's listener is; the rest is the circuit drawing the badge, the "
                + $"WebSocket and the browser, all on the same cores as the app. Queries per change per page: every database command the app ran "
                + $"through EF Core (counted in its process from EF's diagnostic listener, CommandExecuted), from the first change until every "
                + $"page had shown the last one and a second more, less the measured commits' own and, for the same time, the worker's looks "
                + $"(as counted over {LiveLatency.Idle.TotalSeconds:0} s with the pages open and nothing changing), over changes × pages. App "
                + $"queries per change, all pages: the same commands over changes alone — the reads of each change's new state, once for "
                + $"all pages, whatever their number. CPU per change: read from /proc over the time the changes were committed, this "
                + $"process's (the app, with the bench's commits and Playwright's client), the pages' chromium renderers' and the rest of "
                + $"chromium's with Playwright's driver, over changes. Cores busy: the machine's busy time over the same time and all its "
                + $"cores; in parentheses, the share the virtual machine's host took for something else (steal), which nothing here could use."));
            Console.WriteLine();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Bench finished in {total.Elapsed.TotalMinutes:0.0} minutes."));
        return 0;
    }

    /// <summary>One throughput row in a child process, logged as it goes.</summary>
    private static async Task<RowResult> RunThroughputRowAsync(
        string scenario, DatabaseProvider database, bool limits, int batch, string scaleArgument, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var mode = limits ? "limits" : "unlimited";
        Console.Error.WriteLine($"{scenario} on {BenchDatabase.DisplayName(database)}, {mode}, batch {batch}…");
        var row = await ChildProcess.RunAsync<RowResult>(
            ["--scenario", scenario, "--database", BenchDatabase.OptionValue(database), "--mode", mode, "--batch", batch.ToString(CultureInfo.InvariantCulture), "--scale", scaleArgument],
            environment,
            cancellationToken);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {row.Documents} documents in {row.Seconds:0.00} s"));
        return row;
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'.");
            }

            options[args[i][2..]] = args[++i];
        }

        return options;
    }
}

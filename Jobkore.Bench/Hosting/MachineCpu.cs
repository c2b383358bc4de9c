using System.Globalization;

namespace Jobkore.Bench.Hosting;

/// <summary>
/// CPU time on this Linux machine, read from /proc: this process (the app, with the bench's own driving of it), the
/// pages' chromium renderers, the rest of chromium with Playwright's driver, and the machine's busy and stolen time (the
/// time the virtual machine's host ran something else on its cores). Null where there is no /proc.
/// </summary>
internal static class MachineCpu
{
    /// <summary>Linux reports process and machine CPU time in USER_HZ ticks, 100 a second on every architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public static CpuReading? Read()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        var (busy, stolen) = MachineTicks();
        long app = 0, renderers = 0, restOfBrowser = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var kind = pid == Environment.ProcessId ? ProcessKind.App : Kind(directory);
            if (kind == ProcessKind.Other)
            {
                continue;
            }

            var ticks = ProcessTicks(directory) ?? 0;
            switch (kind)
            {
                case ProcessKind.App:
                    app += ticks;
                    break;
                case ProcessKind.Renderer:
                    renderers += ticks;
                    break;
                default:
                    restOfBrowser += ticks;
                    break;
            }
        }

        return new CpuReading(Ms(app), Ms(renderers), Ms(restOfBrowser), Ms(busy), Ms(stolen), Environment.TickCount64);
    }

    private static double Ms(long ticks) => ticks * 1000 / TicksPerSecond;

    /// <summary>The first line of /proc/stat: user, nice, system, idle, iowait, irq, softirq, steal, …</summary>
    private static (long Busy, long Stolen) MachineTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => fields.Length > i ? long.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
        return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7), Field(8));
    }

    private enum ProcessKind
    {
        Other,
        App,
        Renderer,
        RestOfBrowser,
    }

    private static ProcessKind Kind(string directory)
    {
        string commandLine;
        try
        {
            commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ProcessKind.Other; // gone meanwhile, or not ours to read
        }

        var program = commandLine.Split(' ', 2)[0];
        if (program.Contains("chromium", StringComparison.Ordinal))
        {
            return commandLine.Contains("--type=renderer", StringComparison.Ordinal) ? ProcessKind.Renderer : ProcessKind.RestOfBrowser;
        }

        return commandLine.Contains("run-driver", StringComparison.Ordinal) ? ProcessKind.RestOfBrowser : ProcessKind.Other;
    }

    /// <summary>utime + stime of the process (fields 14 and 15 of /proc/PID/stat; the command in parentheses may hold spaces).</summary>
    private static long? ProcessTicks(string directory)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(directory, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>CPU milliseconds used so far, as <see cref="MachineCpu.Read"/> found them, and when (<see cref="Environment.TickCount64"/>).</summary>
internal sealed record CpuReading(double AppMs, double RenderersMs, double RestOfBrowserMs, double MachineBusyMs, double StolenMs, long AtMs)
{
    /// <summary>What was used between <paramref name="earlier"/> and this reading.</summary>
    public CpuUse Since(CpuReading earlier) => new(
        AppMs - earlier.AppMs, RenderersMs - earlier.RenderersMs, RestOfBrowserMs - earlier.RestOfBrowserMs,
        MachineBusyMs - earlier.MachineBusyMs, StolenMs - earlier.StolenMs, AtMs - earlier.AtMs);
}

/// <summary>CPU milliseconds used over <paramref name="WallMs"/> of wall clock.</summary>
internal sealed record CpuUse(double AppMs, double RenderersMs, double RestOfBrowserMs, double MachineBusyMs, double StolenMs, double WallMs)
{
    /// <summary>Of all the machine's cores over the time, the share busy, and the share the host took (stolen).</summary>
    public (double Busy, double Stolen) OfCores(int cores) => (MachineBusyMs / (WallMs * cores), StolenMs / (WallMs * cores));
}

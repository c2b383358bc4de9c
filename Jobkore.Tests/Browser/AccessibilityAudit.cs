using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Jobkore.Tests.TestSupport;
using Microsoft.Playwright;

namespace Jobkore.Tests.Browser;

/// <summary>
/// axe-core (WCAG 2.1 A and AA) on a page as the browser tests leave it at a screen or state: every audit is a row of
/// artifacts/accessibility.md (written when the browser fixture ends), and a serious or critical violation fails the
/// test with the rule, the element and how to fix it.
/// </summary>
internal static partial class AccessibilityAudit
{
    public static readonly IReadOnlyList<string> WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    private static readonly ConcurrentQueue<Row> s_rows = new();

    public static string TablePath { get; } = Path.Combine(RepositoryPaths.Root, "artifacts", "accessibility.md");

    /// <summary>
    /// Waits until the page is settled, runs axe on it and records the row; fails the test when axe finds a serious or
    /// critical violation.
    /// </summary>
    /// <param name="page">The page as the test left it.</param>
    /// <param name="state">What the test shows on the screen here (the screenshot's name where there is one).</param>
    public static async Task AuditAccessibilityAsync(this IPage page, string state)
    {
        await page.WaitForSettledAsync();

        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] },
        });

        var path = new Uri(page.Url).AbsolutePath;
        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        s_rows.Enqueue(new Row(
            Screen(path), state, path, RulesChecked(result), result.TestEngine.Version,
            blocking.Sum(v => v.Nodes.Length),
            result.Violations.Except(blocking).Sum(v => v.Nodes.Length),
            string.Join(", ", result.Violations.Select(v => $"{v.Id} ({v.Impact}, {v.Nodes.Length})"))));

        if (blocking.Count > 0)
        {
            Assert.Fail(
                $"axe-core found {blocking.Count} serious or critical WCAG 2.1 A/AA violation(s) on {path} ({state}):\n"
                + string.Join("\n", blocking.Select(Describe)));
        }
    }

    /// <summary>
    /// Waits until no finite transition or animation runs (MudBlazor's popovers, dialogs and ripples use them), so a
    /// colour or an element mid-way does not change what axe or a screenshot sees; a spinner's endless one is ignored.
    /// </summary>
    public static Task WaitForSettledAsync(this IPage page) =>
        page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)",
            null, new PageWaitForFunctionOptions { PollingInterval = 50 });

    /// <summary>Writes the table of every audit of this run; does nothing when no audit ran.</summary>
    public static async Task WriteTableAsync()
    {
        if (s_rows.IsEmpty)
        {
            return;
        }

        // The same screen in the same state and outcome, reached by several tests, is one row.
        var rows = s_rows.Distinct().ToArray();
        var engine = rows.Select(r => r.Engine).Distinct().Order(StringComparer.Ordinal);
        var table = new StringBuilder();
        table.Append(CultureInfo.InvariantCulture, $"# Accessibility: axe-core {string.Join(", ", engine)}, WCAG 2.1 A/AA ({string.Join(", ", WcagTags)})\n\n");
        table.Append(CultureInfo.InvariantCulture, $"Every screen and state the browser tests visit, audited where the test stands. {rows.Length} audits; ")
            .Append(CultureInfo.InvariantCulture, $"{rows.Sum(r => r.SeriousOrCritical)} serious/critical and {rows.Sum(r => r.ModerateOrMinor)} moderate/minor failing elements.\n\n");
        table.Append("| Screen | State | Path | Rules checked | Serious/critical | Moderate/minor | Violations |\n|---|---|---|---|---|---|---|\n");
        foreach (var row in rows.OrderBy(r => r.Screen, StringComparer.Ordinal).ThenBy(r => r.State, StringComparer.Ordinal))
        {
            table.Append(CultureInfo.InvariantCulture,
                $"| {Cell(row.Screen)} | {Cell(row.State)} | `{Cell(row.Path)}` | {row.RulesChecked} | {row.SeriousOrCritical} | {row.ModerateOrMinor} | {(row.Violations.Length == 0 ? "none" : Cell(row.Violations))} |\n");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(TablePath)!);
        await File.WriteAllTextAsync(TablePath, table.ToString(), CancellationToken.None);
    }

    /// <summary>The route the path belongs to: record ids become <c>{id}</c>, so one screen's rows sort together.</summary>
    private static string Screen(string path) => NumberSegment().Replace(path, "/{id}");

    /// <summary>The rules of the tags that had something to check on the page (passed, failed or needing review).</summary>
    private static int RulesChecked(AxeResult result) =>
        result.Passes.Concat(result.Violations).Concat(result.Incomplete).Select(r => r.Id).Distinct(StringComparer.Ordinal).Count();

    private static string Describe(AxeResultItem violation)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"- {violation.Id} ({violation.Impact}): {violation.Help} — {violation.HelpUrl}\n");
        foreach (var node in violation.Nodes.Take(5))
        {
            text.Append(CultureInfo.InvariantCulture, $"    element {node.Target}: {node.Html}\n");
            var fixes = node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message).Where(m => !string.IsNullOrEmpty(m)).Distinct(StringComparer.Ordinal);
            text.Append(CultureInfo.InvariantCulture, $"      fix: {string.Join(" / ", fixes)}\n");
        }

        if (violation.Nodes.Length > 5)
        {
            text.Append(CultureInfo.InvariantCulture, $"    … and {violation.Nodes.Length - 5} more element(s)\n");
        }

        return text.ToString().TrimEnd();
    }

    private static string Cell(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    [GeneratedRegex(@"/\d+(?=/|$)")]
    private static partial Regex NumberSegment();

    private sealed record Row(string Screen, string State, string Path, int RulesChecked, string Engine, int SeriousOrCritical, int ModerateOrMinor, string Violations);
}

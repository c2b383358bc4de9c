using System.Collections.Concurrent;
using System.Text;
using Jobkore.Core.Data;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>
/// One app connected to the sandbox for the whole hostile input corpus: each case starts from an empty business
/// (<see cref="ResetAsync"/>), and the case → outcome table is written to artifacts/hostile-input.md at the end.
/// </summary>
public sealed class HostileInputFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, (int Order, string Input, string Outcome)> _outcomes = new();

    internal QuickBooksApp App { get; private set; } = default!;

    public async ValueTask InitializeAsync() => App = await QuickBooksApp.ConnectedAsync(settings: new()
    {
        ["Business:SeedDemoData"] = "false",
        ["QuickBooks:Client:TransientAttempts"] = "2",
        ["QuickBooks:Client:TransientBackoff"] = "00:00:00.001",
        ["QuickBooks:Client:RequestsPerMinute"] = "100000",
        ["QuickBooks:Client:RequestsPerSecond"] = "100000",
        ["QuickBooks:Limits:Enabled"] = "false",
    });

    /// <summary>
    /// Empties the business in Jobkore (records, their sync records and history) so a case sees only its own data on
    /// the pages. QuickBooks keeps what earlier cases sent; every case uses its own names and numbers.
    /// </summary>
    internal async Task ResetAsync(CancellationToken cancellationToken)
    {
        await using var scope = App.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(cancellationToken);
        await db.SyncAttempts.ExecuteDeleteAsync(cancellationToken);
        await db.SyncRecords.ExecuteDeleteAsync(cancellationToken);
        await db.SyncJournal.ExecuteDeleteAsync(cancellationToken);
        await db.Payments.ExecuteDeleteAsync(cancellationToken);
        await db.Invoices.ExecuteDeleteAsync(cancellationToken);
        await db.Clients.ExecuteDeleteAsync(cancellationToken);
        await db.CatalogItems.ExecuteDeleteAsync(cancellationToken);
    }

    internal void Record(int order, string name, string input, string outcome) => _outcomes[name] = (order, input, outcome);

    public async ValueTask DisposeAsync()
    {
        if (!_outcomes.IsEmpty)
        {
            var table = new StringBuilder("| # | Case | Input | Outcome |\n|---|---|---|---|\n");
            foreach (var (name, (order, input, outcome)) in _outcomes.OrderBy(o => o.Value.Order))
            {
                table.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {order} | {Cell(name)} | `{Code(input)}` | {Cell(outcome)} |\n");
            }

            Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "artifacts"));
            await File.WriteAllTextAsync(Path.Combine(RepositoryPaths.Root, "artifacts", "hostile-input.md"), table.ToString(), CancellationToken.None);
        }

        await App.DisposeAsync();
    }

    /// <summary>Markdown table text: no pipes or line breaks, and markup shown as text.</summary>
    private static string Cell(string text) =>
        Code(text).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Inside a code span only the pipe and line breaks need care; a backtick would end the span.</summary>
    private static string Code(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("`", "'", StringComparison.Ordinal);
}

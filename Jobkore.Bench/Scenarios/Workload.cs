namespace Jobkore.Bench.Scenarios;

/// <summary>How many records of each kind a scenario's business has waiting for QuickBooks.</summary>
internal sealed record Workload(string Name, int Invoices, int Clients, int Items, int Payments)
{
    public static readonly Workload BusyDay = new("busy day", Invoices: 200, Clients: 40, Items: 10, Payments: 120);

    public static readonly Workload Backlog = new("backlog", Invoices: 3_000, Clients: 600, Items: 60, Payments: 1_500);

    /// <summary>Years of a business's records, sent the day it first connects QuickBooks.</summary>
    public static readonly Workload LongHistory = new("long history", Invoices: 30_000, Clients: 3_000, Items: 200, Payments: 20_000);

    /// <summary>Each company's backlog in the many-companies row: 1,000 documents in the backlog's proportions.</summary>
    public static readonly Workload CompanyBacklog = new("company backlog", Invoices: 580, Clients: 116, Items: 12, Payments: 292);

    /// <summary>A few records synced before the measured run, so the engine's code is compiled when the clock starts.</summary>
    public static readonly Workload WarmUp = new("warm-up", Invoices: 10, Clients: 5, Items: 2, Payments: 5);

    public int Documents => Invoices + Clients + Items + Payments;

    public static Workload Named(string name) => name switch
    {
        "busy-day" => BusyDay,
        "backlog" => Backlog,
        "long-history" => LongHistory,
        _ => throw new ArgumentException($"Unknown scenario '{name}': use busy-day, backlog or long-history.", nameof(name)),
    };
}

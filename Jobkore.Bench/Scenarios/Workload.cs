namespace Jobkore.Bench.Scenarios;

/// <summary>How many records of each kind a scenario's business has waiting for QuickBooks.</summary>
internal sealed record Workload(string Name, int Invoices, int Clients, int Items, int Payments)
{
    public static readonly Workload BusyDay = new("busy day", Invoices: 200, Clients: 40, Items: 10, Payments: 120);

    public static readonly Workload Backlog = new("backlog", Invoices: 3_000, Clients: 600, Items: 60, Payments: 1_500);

    /// <summary>A few records synced before the measured run, so the engine's code is compiled when the clock starts.</summary>
    public static readonly Workload WarmUp = new("warm-up", Invoices: 10, Clients: 5, Items: 2, Payments: 5);

    public int Documents => Invoices + Clients + Items + Payments;

    public static Workload Named(string name) => name switch
    {
        "busy-day" => BusyDay,
        "backlog" => Backlog,
        _ => throw new ArgumentException($"Unknown scenario '{name}': use busy-day or backlog.", nameof(name)),
    };
}

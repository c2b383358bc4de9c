namespace Jobkore.Core.Sync;

/// <summary>
/// A record as messages name it: its <paramref name="Kind"/> ("client"), its name as QuickBooks knows it when it has
/// one, and the <paramref name="Label"/> used in sentences ("client 'Maria O'Brien'", "invoice INV-1042").
/// </summary>
public sealed record SyncSubject(string Kind, string? Name, string Label)
{
    public static SyncSubject Named(string kind, string name) => new(kind, name, $"{kind} '{name}'");

    public override string ToString() => Label;
}

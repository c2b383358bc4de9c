namespace Jobkore.Core.Sync;

/// <summary>
/// A record as messages name it: its <paramref name="Kind"/> ("client"), its name as QuickBooks knows it when it has
/// one, and the <paramref name="Label"/> used in sentences ("client 'Maria O'Brien'", "invoice INV-1042").
/// </summary>
public sealed record SyncSubject(string Kind, string? Name, string Label)
{
    public static SyncSubject Named(string kind, string name) => new(kind, name, $"{kind} '{name}'");

    /// <summary>The label to start a sentence with ("Invoice INV-1042").</summary>
    public string AtStart => Label.Length == 0 ? Label : char.ToUpperInvariant(Label[0]) + Label[1..];

    public override string ToString() => Label;
}

namespace Jobkore.Core.SyncState;

/// <summary>The fields Jobkore owns in a QuickBooks record as QuickBooks held them (JSON), and their hash: what a sync record keeps of QuickBooks' side.</summary>
public sealed record QboSnapshot(string Fields, string Hash);

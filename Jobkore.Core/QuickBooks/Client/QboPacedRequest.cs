namespace Jobkore.Core.QuickBooks.Client;

/// <summary>A request to pace: the company it goes to and what it needs from that company's limits.</summary>
public readonly record struct QboPacedRequest(string RealmId, QboSlotKind Kind);

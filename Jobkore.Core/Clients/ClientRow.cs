namespace Jobkore.Core.Clients;

public sealed record ClientRow(int Id, string DisplayName, string? CompanyName, string? Email, string? Phone, string? City);

/// <summary>A client to pick on an invoice.</summary>
public sealed record ClientOption(int Id, string DisplayName, string? CompanyName);

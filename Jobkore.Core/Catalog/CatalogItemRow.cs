namespace Jobkore.Core.Catalog;

public sealed record CatalogItemRow(int Id, string Name, string? Description, decimal UnitPrice, bool Taxable, bool Active);

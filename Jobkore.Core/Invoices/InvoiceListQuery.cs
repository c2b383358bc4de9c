using Jobkore.Core.Domain;

namespace Jobkore.Core.Invoices;

/// <summary>Which invoices a list shows, beyond paging and search.</summary>
public sealed record InvoiceListFilter(InvoiceStatus? Status = null, int? ClientId = null);

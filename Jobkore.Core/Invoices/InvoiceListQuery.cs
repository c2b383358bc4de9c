using Jobkore.Core.Domain;
using Jobkore.Core.Sync;

namespace Jobkore.Core.Invoices;

/// <summary>Which invoices a list shows, beyond paging and search. <paramref name="Sync"/> applies only while QuickBooks is connected.</summary>
public sealed record InvoiceListFilter(InvoiceStatus? Status = null, int? ClientId = null, SyncFilter? Sync = null);

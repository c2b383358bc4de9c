using Jobkore.Core.Common;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Payments;

/// <summary>Lists, records and removes the current business's payments.</summary>
public sealed class PaymentService(IDbContextFactory<JobkoreDbContext> dbFactory, TimeProvider timeProvider)
{
    public static class SortKeys
    {
        public const string Date = "date";
        public const string Invoice = "invoice";
        public const string Client = "client";
        public const string Method = "method";
        public const string Amount = "amount";
    }

    public async Task<PagedResult<PaymentRow>> ListAsync(PageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Payments.AsNoTracking();
        if (request.ContainsPattern is { } pattern)
        {
            query = query.WhereAnyLike(db.Database, pattern, p => p.Invoice!.Number, p => p.Invoice!.Client!.DisplayName, p => p.Reference);
        }

        return await query.ToPageAsync(
            q => (request.SortBy switch
            {
                SortKeys.Invoice => q.OrderBy(p => p.Invoice!.Number, request.Descending),
                SortKeys.Client => q.OrderBy(p => p.Invoice!.Client!.DisplayName, request.Descending),
                SortKeys.Method => q.OrderBy(p => p.Method, request.Descending),
                SortKeys.Amount => q.OrderBy(p => p.Amount, request.Descending),
                SortKeys.Date => q.OrderBy(p => p.Date, request.Descending),
                _ => q.OrderByDescending(p => p.Date),
            }).ThenByDescending(p => p.Id),
            p => new PaymentRow(p.Id, p.Date, p.InvoiceId, p.Invoice!.Number, p.Invoice!.Client!.DisplayName, p.Method, p.Reference, p.Amount),
            request,
            cancellationToken);
    }

    public async Task<int> RecordAsync(int invoiceId, PaymentEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var invoice = await InvoiceService.LoadAsync(db, invoiceId, cancellationToken);
        var payment = invoice.RecordPayment(entry.Amount, entry.Date, entry.Method, entry.Reference, timeProvider.GetUtcNow());
        await InvoiceService.SaveAsync(db, invoice.Number, cancellationToken);
        return payment.Id;
    }

    public async Task DeleteAsync(int paymentId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var invoiceId = await db.Payments.Where(p => p.Id == paymentId).Select(p => (int?)p.InvoiceId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainRuleException("This payment no longer exists.");
        var invoice = await InvoiceService.LoadAsync(db, invoiceId, cancellationToken);
        var payment = invoice.Payments.Single(p => p.Id == paymentId);
        invoice.RemovePayment(payment, timeProvider.GetUtcNow());
        db.Payments.Remove(payment);
        await InvoiceService.SaveAsync(db, invoice.Number, cancellationToken);
    }
}

using System.Globalization;
using Jobkore.Core.Businesses;
using Jobkore.Core.Common;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Sync;
using Microsoft.EntityFrameworkCore;

namespace Jobkore.Core.Invoices;

/// <summary>Lists, reads and changes the current business's invoices.</summary>
public sealed class InvoiceService(IDbContextFactory<JobkoreDbContext> dbFactory, ICurrentBusiness currentBusiness, TimeProvider timeProvider)
{
    private const string DefaultFirstNumber = "INV-1001";

    public static class SortKeys
    {
        public const string Number = "number";
        public const string Client = "client";
        public const string IssueDate = "issued";
        public const string DueDate = "due";
        public const string Status = "status";
        public const string Total = "total";
    }

    public async Task<PagedResult<InvoiceRow>> ListAsync(PageRequest request, InvoiceListFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Invoices.AsNoTracking();
        if (filter.Status is { } status)
        {
            query = query.Where(i => i.Status == status);
        }

        if (filter.ClientId is { } clientId)
        {
            query = query.Where(i => i.ClientId == clientId);
        }

        if (filter.Sync is { } sync && await SyncStatuses.ConnectedRealmAsync(db, cancellationToken) is { } realmId)
        {
            query = SyncStatuses.WhereSync(db, realmId, query, sync);
        }

        if (request.ContainsPattern is { } pattern)
        {
            query = query.WhereAnyLike(db.Database, pattern, i => i.Number, i => i.Client!.DisplayName, i => i.Memo);
        }

        return await query.ToPageAsync(
            q => (request.SortBy switch
            {
                SortKeys.Number => q.OrderBy(i => i.Number, request.Descending),
                SortKeys.Client => q.OrderBy(i => i.Client!.DisplayName, request.Descending),
                SortKeys.DueDate => q.OrderBy(i => i.DueDate, request.Descending),
                SortKeys.Status => q.OrderBy(i => i.Status, request.Descending),
                SortKeys.Total => q.OrderBy(i => i.Total, request.Descending),
                SortKeys.IssueDate => q.OrderBy(i => i.IssueDate, request.Descending),

                // Newest first is what people expect of an invoice list.
                _ => q.OrderByDescending(i => i.IssueDate),
            }).ThenByDescending(i => i.Id),
            i => new InvoiceRow(i.Id, i.Number, i.Client!.DisplayName, i.IssueDate, i.DueDate, i.Status, i.Total, i.AmountPaid),
            request,
            cancellationToken);
    }

    public async Task<InvoiceView?> GetAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var invoice = await db.Invoices.AsNoTracking()
            .Include(i => i.Client)
            .Include(i => i.Lines)
            .Include(i => i.Payments)
            .AsSplitQuery()
            .SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (invoice is null)
        {
            return null;
        }

        var itemIds = invoice.Lines.Where(l => l.CatalogItemId is not null).Select(l => l.CatalogItemId!.Value).Distinct().ToList();
        var itemNames = await db.CatalogItems.AsNoTracking().Where(c => itemIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var client = invoice.Client!;
        return new InvoiceView(
            invoice.Id,
            invoice.Number,
            client.Id,
            client.DisplayName,
            client.Email,
            client.BillingAddress.ToLines(),
            invoice.IssueDate,
            invoice.DueDate,
            invoice.Status,
            invoice.TaxRatePercent,
            invoice.Memo,
            invoice.Lines.OrderBy(l => l.Position)
                .Select(l => new InvoiceLineView(l.Description, l.CatalogItemId is { } itemId ? itemNames.GetValueOrDefault(itemId) : null, l.Quantity, l.UnitPrice, l.Taxable, l.Amount))
                .ToList(),
            invoice.Subtotal,
            invoice.Tax,
            invoice.Total,
            invoice.AmountPaid,
            invoice.Payments.OrderBy(p => p.Date).ThenBy(p => p.Id).Select(p => new InvoicePaymentView(p.Id, p.Date, p.Method, p.Reference, p.Amount)).ToList(),
            invoice.SentAt,
            invoice.VoidedAt);
    }

    public async Task<InvoiceForEdit?> GetForEditAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Client).Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        return invoice is null ? null : new InvoiceForEdit(invoice.Id, invoice.ToDraft(), invoice.Client!.DisplayName, invoice.Status, invoice.AmountPaid);
    }

    /// <summary>
    /// What a new invoice starts with: the number after the highest in use, keeping its prefix (INV-1041 after
    /// INV-1040), and the tax rate of the most recent invoice.
    /// </summary>
    public async Task<NewInvoiceDefaults> GetNewInvoiceDefaultsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var numbers = await db.Invoices.AsNoTracking().Select(i => i.Number).ToListAsync(cancellationToken);
        var lastTaxRate = await db.Invoices.AsNoTracking().OrderByDescending(i => i.Id).Select(i => (decimal?)i.TaxRatePercent).FirstOrDefaultAsync(cancellationToken);
        return new NewInvoiceDefaults(InvoiceNumbers.Next(numbers) ?? DefaultFirstNumber, lastTaxRate ?? 0m);
    }

    public async Task<int> CreateAsync(InvoiceDraft draft, bool markSent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await EnsureReferencesAsync(db, draft, invoiceId: null, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var invoice = new Invoice(currentBusiness.Profile.Id, draft, now);
        if (markSent)
        {
            invoice.MarkSent(now);
        }

        db.Invoices.Add(invoice);
        await SaveAsync(db, invoice.Number, cancellationToken);
        return invoice.Id;
    }

    public async Task UpdateAsync(int id, InvoiceDraft draft, bool markSent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var invoice = await LoadAsync(db, id, cancellationToken);
        await EnsureReferencesAsync(db, draft, id, cancellationToken);
        var now = timeProvider.GetUtcNow();
        invoice.Update(draft, now);
        if (markSent)
        {
            invoice.MarkSent(now);
        }

        await SaveAsync(db, invoice.Number, cancellationToken);
    }

    public async Task MarkSentAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var invoice = await LoadAsync(db, id, cancellationToken);
        invoice.MarkSent(timeProvider.GetUtcNow());
        await SaveAsync(db, invoice.Number, cancellationToken);
    }

    public async Task VoidAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var invoice = await LoadAsync(db, id, cancellationToken);
        invoice.Void(timeProvider.GetUtcNow());
        await SaveAsync(db, invoice.Number, cancellationToken);
    }

    internal static async Task<Invoice> LoadAsync(JobkoreDbContext db, int id, CancellationToken cancellationToken) =>
        await db.Invoices.Include(i => i.Lines).Include(i => i.Payments).AsSplitQuery().SingleOrDefaultAsync(i => i.Id == id, cancellationToken)
        ?? throw new DomainRuleException("This invoice no longer exists.");

    private static async Task EnsureReferencesAsync(JobkoreDbContext db, InvoiceDraft draft, int? invoiceId, CancellationToken cancellationToken)
    {
        if (draft.ClientId > 0 && !await db.Clients.AnyAsync(c => c.Id == draft.ClientId, cancellationToken))
        {
            throw new DomainRuleException("The chosen client no longer exists. Choose another client.", nameof(InvoiceDraft.ClientId));
        }

        var itemIds = draft.Lines.Where(l => l.CatalogItemId is not null).Select(l => l.CatalogItemId!.Value).Distinct().ToList();
        if (itemIds.Count > 0)
        {
            var found = await db.CatalogItems.CountAsync(c => itemIds.Contains(c.Id), cancellationToken);
            if (found != itemIds.Count)
            {
                throw new DomainRuleException("A catalog item on this invoice no longer exists. Pick the item again.", nameof(InvoiceDraft.Lines));
            }
        }

        var number = draft.Number?.Trim();
        if (!string.IsNullOrEmpty(number) && await db.Invoices.AnyAsync(i => i.Number == number && i.Id != invoiceId, cancellationToken))
        {
            throw DuplicateNumber(number);
        }
    }

    /// <summary>Saves an invoice change, turning the two races a save can lose into messages a person can act on.</summary>
    internal static async Task SaveAsync(JobkoreDbContext db, string number, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainRuleException($"Invoice {number} was changed by someone else a moment ago. Reload it to see their change, then try again.");
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Someone saved the same number between our check and this save.
            throw DuplicateNumber(number);
        }
    }

    private static DomainRuleException DuplicateNumber(string number) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Invoice number {number} is already used by another invoice. Choose a different number."), nameof(InvoiceDraft.Number));
}

using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.SyncState;

namespace Jobkore.Core.Sync.Engine;

/// <summary>The invoice a payment pays: what its write needs of it.</summary>
internal sealed record PaidInvoice(int Id, string Number, int ClientId);

/// <summary>
/// One page of a run's backlog (<see cref="SyncPages"/>): the records it sends, loaded untracked, and what QuickBooks
/// already has of their names and numbers, asked as soon as the page is loaded.
/// </summary>
internal sealed class SyncPage
{
    public required IReadOnlyList<CatalogItem> Items { get; init; }

    public required IReadOnlyList<Client> Clients { get; init; }

    /// <summary>Waiting invoices with their lines and clients: creates and updates first, voids after.</summary>
    public required IReadOnlyList<Invoice> Invoices { get; init; }

    public required IReadOnlyList<Payment> Payments { get; init; }

    /// <summary>The invoices the payments pay, by id.</summary>
    public required IReadOnlyDictionary<int, PaidInvoice> PaidInvoices { get; init; }

    public required Task<ILookup<string, QboItem>> ExistingItems { get; init; }

    public required Task<ILookup<string, QboCustomer>> ExistingCustomers { get; init; }

    /// <summary>The reviews of the page's clients not linked yet, by client id (Sync/Matching).</summary>
    public required IReadOnlyDictionary<int, CustomerMatch> CustomerMatches { get; init; }

    public required Task<ILookup<string, QboInvoice>> ExistingInvoices { get; init; }

    /// <summary>Waits until every look-up of the page has ended, however it ended.</summary>
    public Task LookUpsEnded() => Task.WhenAll(ExistingItems, ExistingCustomers, ExistingInvoices).ContinueWith(t => _ = t.Exception, CancellationToken.None,
        TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}

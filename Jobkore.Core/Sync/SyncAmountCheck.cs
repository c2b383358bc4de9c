using System.Globalization;
using Jobkore.Core.QuickBooks.Models;

namespace Jobkore.Core.Sync;

/// <summary>
/// After every invoice push, QuickBooks' total is compared with Jobkore's: a difference (QuickBooks applying its own tax
/// or rounding) is a warning on the invoice with both amounts, never a green check.
/// </summary>
public static class SyncAmountCheck
{
    /// <summary>The warning for an invoice QuickBooks answered with, or null when the totals agree or there is nothing to compare.</summary>
    public static string? Warning(QboEntity? sent, decimal? jobkoreTotal) =>
        sent is QboInvoice { TotalAmt: { } qboTotal } && jobkoreTotal is { } expected && qboTotal != expected
            ? string.Create(CultureInfo.InvariantCulture, $"Amount differs in QuickBooks: {qboTotal:0.00} there, {expected:0.00} in Jobkore. Check the tax settings of the QuickBooks company.")
            : null;
}

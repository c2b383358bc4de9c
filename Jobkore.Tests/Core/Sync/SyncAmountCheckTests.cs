using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.Sync;

namespace Jobkore.Tests.Core.Sync;

public sealed class SyncAmountCheckTests
{
    [Fact]
    public void Warning_QuickBooksTotalDiffers_GivesBothAmounts()
    {
        SyncAmountCheck.Warning(new QboInvoice { TotalAmt = 108.25m }, 108.00m)
            .ShouldBe("Amount differs in QuickBooks: 108.25 there, 108.00 in Jobkore. Check the tax settings of the QuickBooks company.");
    }

    [Fact]
    public void Warning_TotalsAgree_IsNone()
    {
        SyncAmountCheck.Warning(new QboInvoice { TotalAmt = 108m }, 108.00m).ShouldBeNull();
    }

    [Fact]
    public void Warning_NotAnInvoice_IsNone()
    {
        SyncAmountCheck.Warning(new QboPayment { TotalAmt = 5m }, 108m).ShouldBeNull();
    }
}

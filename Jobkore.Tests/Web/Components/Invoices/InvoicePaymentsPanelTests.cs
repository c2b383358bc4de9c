using Bunit;
using Jobkore.Core.Invoices;
using Jobkore.Core.Domain;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Invoices;

namespace Jobkore.Tests.Web.Components.Invoices;

public sealed class InvoicePaymentsPanelTests() : JobkoreBunitContext(seedDemoData: false)
{
    [Fact]
    public void Payments_AreListItems_WhoseRemoveButtonIsNotInsideAnInteractiveItem()
    {
        InvoicePaymentView? removed = null;
        var cut = Render<InvoicePaymentsPanel>(p => p
            .Add(c => c.Payments, [new InvoicePaymentView(7, new DateOnly(2026, 11, 20), PaymentMethod.Check, "Check #1042", 120m)])
            .Add(c => c.RemovePayment, (InvoicePaymentView payment) => removed = payment));

        var item = cut.Find("[role=list][aria-label='Payments on this invoice'] > [role=listitem]");
        item.TextContent.ShouldContain("Check #1042");
        // axe's nested-interactive: a focusable button inside an option (MudList's items) is not reachable by assistive technology.
        cut.FindAll("[role=option], [role=listbox]").ShouldBeEmpty();
        item.GetAttribute("tabindex").ShouldBeNull();

        item.QuerySelector("button[aria-label='Remove payment of $120.00']")!.Click();
        removed.ShouldNotBeNull().Id.ShouldBe(7);
    }
}

using Jobkore.Core.Clients;
using Jobkore.Core.Common;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Core.Payments;
using Jobkore.Tests.TestSupport;

namespace Jobkore.Tests.Core.Payments;

public sealed class PaymentServiceTests : DatabaseTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;
    private int _invoiceId;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await using var scope = Db.CreateScope();
        var clientId = await scope.Get<ClientService>().CreateAsync(Drafts.Client("Café Zoë"), s_ct);
        _invoiceId = await scope.Get<InvoiceService>().CreateAsync(Drafts.Invoice(clientId, "INV-5", 0m, Drafts.Line(1, 300m)), true, s_ct);
    }

    [Fact]
    public async Task RecordAsync_PartThenRest_InvoiceBecomesPaidAndPaymentsAreListed()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<PaymentService>();

        await sut.RecordAsync(_invoiceId, new PaymentEntry(100m, Drafts.Issued.AddDays(1), PaymentMethod.Check, "Check #1"), s_ct);
        (await scope.Get<InvoiceService>().GetAsync(_invoiceId, s_ct))!.Status.ShouldBe(InvoiceStatus.PartiallyPaid);
        await sut.RecordAsync(_invoiceId, new PaymentEntry(200m, Drafts.Issued.AddDays(2), PaymentMethod.Card, null), s_ct);

        var invoice = (await scope.Get<InvoiceService>().GetAsync(_invoiceId, s_ct))!;
        invoice.Status.ShouldBe(InvoiceStatus.Paid);
        invoice.Balance.ShouldBe(0m);
        var list = await sut.ListAsync(new PageRequest(SortBy: PaymentService.SortKeys.Amount), s_ct);
        list.Items.Select(p => (p.Amount, p.InvoiceNumber, p.ClientName)).ShouldBe([(100m, "INV-5", "Café Zoë"), (200m, "INV-5", "Café Zoë")]);
    }

    [Fact]
    public async Task RecordAsync_MoreThanBalance_IsRefusedAndNothingSaved()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<PaymentService>();

        var ex = await Should.ThrowAsync<DomainRuleException>(() => sut.RecordAsync(_invoiceId, new PaymentEntry(300.01m, Drafts.Issued, PaymentMethod.Cash, null), s_ct));

        ex.Message.ShouldBe("The payment of 300.01 is more than the open balance of 300.00.");
        (await sut.ListAsync(new PageRequest(), s_ct)).TotalCount.ShouldBe(0);
    }

    [Fact]
    public async Task DeleteAsync_RestoresBalance_ThenTheInvoiceCanBeVoided()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<PaymentService>();
        var invoices = scope.Get<InvoiceService>();
        var paymentId = await sut.RecordAsync(_invoiceId, new PaymentEntry(300m, Drafts.Issued, PaymentMethod.Cash, null), s_ct);
        (await Should.ThrowAsync<DomainRuleException>(() => invoices.VoidAsync(_invoiceId, s_ct))).Message.ShouldBe("Invoice INV-5 has payments. Remove the payments recorded on it before voiding it.");

        await sut.DeleteAsync(paymentId, s_ct);
        await invoices.VoidAsync(_invoiceId, s_ct);

        var invoice = (await invoices.GetAsync(_invoiceId, s_ct))!;
        invoice.Status.ShouldBe(InvoiceStatus.Void);
        invoice.AmountPaid.ShouldBe(0m);
    }

    [Fact]
    public async Task RecordAsync_VoidInvoice_IsRefused()
    {
        await using var scope = Db.CreateScope();
        await scope.Get<InvoiceService>().VoidAsync(_invoiceId, s_ct);

        var ex = await Should.ThrowAsync<DomainRuleException>(() => scope.Get<PaymentService>().RecordAsync(_invoiceId, new PaymentEntry(1m, Drafts.Issued, PaymentMethod.Cash, null), s_ct));

        ex.Message.ShouldBe("Invoice INV-5 is void and cannot be paid.");
    }
}

using Jobkore.Core.Clients;
using Jobkore.Core.Common;
using Jobkore.Core.Domain;
using Jobkore.Core.Invoices;
using Jobkore.Tests.TestSupport;

namespace Jobkore.Tests.Core.Invoices;

public sealed class InvoiceServiceTests : DatabaseTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    private async Task<int> AddClientAsync(string name)
    {
        await using var scope = Db.CreateScope();
        return await scope.Get<ClientService>().CreateAsync(Drafts.Client(name), s_ct);
    }

    [Fact]
    public async Task CreateAsync_ValidDraft_SavesInvoiceWithLinesAndTotals()
    {
        var clientId = await AddClientAsync("Maria O'Brien");
        await using var scope = Db.CreateScope();
        var sut = scope.Get<InvoiceService>();

        var id = await sut.CreateAsync(Drafts.Invoice(clientId, "INV-1001", 8.25m, Drafts.Line(2, 115m), Drafts.Line(1, 189.99m, taxable: true, description: "Thermostat")), markSent: true, s_ct);

        var view = (await sut.GetAsync(id, s_ct)).ShouldNotBeNull();
        view.Number.ShouldBe("INV-1001");
        view.ClientName.ShouldBe("Maria O'Brien");
        view.Status.ShouldBe(InvoiceStatus.Sent);
        view.Lines.Select(l => (l.Description, l.Amount)).ShouldBe([("Labor", 230m), ("Thermostat", 189.99m)]);
        (view.Subtotal, view.Tax, view.Total).ShouldBe((419.99m, 15.67m, 435.66m));
        view.SentAt.ShouldBe(TestServices.Now);
    }

    [Fact]
    public async Task CreateAsync_NumberAlreadyUsed_IsRefusedCaseInsensitively()
    {
        var clientId = await AddClientAsync("Maria");
        await using var scope = Db.CreateScope();
        var sut = scope.Get<InvoiceService>();
        await sut.CreateAsync(Drafts.Invoice(clientId, "INV-1001", 0m, Drafts.Line(1, 1m)), false, s_ct);

        var ex = await Should.ThrowAsync<DomainRuleException>(() => sut.CreateAsync(Drafts.Invoice(clientId, "inv-1001", 0m, Drafts.Line(1, 1m)), false, s_ct));

        ex.Message.ShouldBe("Invoice number inv-1001 is already used by another invoice. Choose a different number.");
        ex.Field.ShouldBe("Number");
    }

    [Fact]
    public async Task UpdateAsync_KeepsOwnNumber_AndReplacesLines()
    {
        var clientId = await AddClientAsync("Maria");
        await using var scope = Db.CreateScope();
        var sut = scope.Get<InvoiceService>();
        var id = await sut.CreateAsync(Drafts.Invoice(clientId, "INV-1", 0m, Drafts.Line(1, 10m), Drafts.Line(1, 20m)), false, s_ct);

        await sut.UpdateAsync(id, Drafts.Invoice(clientId, "INV-1", 0m, Drafts.Line(3, 10m)), markSent: false, s_ct);

        var view = (await sut.GetAsync(id, s_ct)).ShouldNotBeNull();
        view.Lines.Count.ShouldBe(1);
        view.Total.ShouldBe(30m);
    }

    [Fact]
    public async Task CreateAsync_ClientOfAnotherBusiness_IsRefused()
    {
        var other = await Db.AddBusinessAsync("Other Co");
        int foreignClientId;
        await using (var otherScope = Db.CreateScope(other))
        {
            foreignClientId = await otherScope.Get<ClientService>().CreateAsync(Drafts.Client("Their client"), s_ct);
        }

        await using var scope = Db.CreateScope();
        var ex = await Should.ThrowAsync<DomainRuleException>(() => scope.Get<InvoiceService>().CreateAsync(Drafts.Invoice(foreignClientId, Drafts.Line(1, 1m)), false, s_ct));

        ex.Message.ShouldBe("The chosen client no longer exists. Choose another client.");
    }

    [Fact]
    public async Task GetAndList_AnotherBusinessesInvoice_AreNotVisible()
    {
        var other = await Db.AddBusinessAsync("Other Co");
        int theirInvoiceId;
        await using (var otherScope = Db.CreateScope(other))
        {
            var theirClient = await otherScope.Get<ClientService>().CreateAsync(Drafts.Client("Their client"), s_ct);
            theirInvoiceId = await otherScope.Get<InvoiceService>().CreateAsync(Drafts.Invoice(theirClient, "THEIRS-1", 0m, Drafts.Line(1, 1m)), false, s_ct);
        }

        await using var scope = Db.CreateScope();
        var sut = scope.Get<InvoiceService>();

        (await sut.GetAsync(theirInvoiceId, s_ct)).ShouldBeNull();
        (await sut.GetForEditAsync(theirInvoiceId, s_ct)).ShouldBeNull();
        (await sut.ListAsync(new PageRequest(), new InvoiceListFilter(), s_ct)).TotalCount.ShouldBe(0);
        (await Should.ThrowAsync<DomainRuleException>(() => sut.VoidAsync(theirInvoiceId, s_ct))).Message.ShouldBe("This invoice no longer exists.");
    }

    [Fact]
    public async Task ListAsync_SortsByTotalNumericallyAndPages()
    {
        var clientId = await AddClientAsync("Maria");
        await using var scope = Db.CreateScope();
        var sut = scope.Get<InvoiceService>();
        foreach (var (number, price) in new[] { ("A-1", 9m), ("A-2", 100m), ("A-3", 25.5m), ("A-4", 1000m) })
        {
            await sut.CreateAsync(Drafts.Invoice(clientId, number, 0m, Drafts.Line(1, price)), false, s_ct);
        }

        var page = await sut.ListAsync(new PageRequest(Page: 0, PageSize: 3, SortBy: InvoiceService.SortKeys.Total, Descending: true), new InvoiceListFilter(), s_ct);
        var next = await sut.ListAsync(new PageRequest(Page: 1, PageSize: 3, SortBy: InvoiceService.SortKeys.Total, Descending: true), new InvoiceListFilter(), s_ct);

        page.TotalCount.ShouldBe(4);
        page.Items.Select(i => i.Total).ShouldBe([1000m, 100m, 25.5m]);
        next.Items.Select(i => i.Number).ShouldBe(["A-1"]);
    }

    [Fact]
    public async Task ListAsync_SearchWithLikeWildcards_MatchesThemLiterally()
    {
        var clientId = await AddClientAsync("100% Plumbing_Co");
        var other = await AddClientAsync("Maria");
        await using var scope = Db.CreateScope();
        var sut = scope.Get<InvoiceService>();
        await sut.CreateAsync(Drafts.Invoice(clientId, "X-1", 0m, Drafts.Line(1, 1m)), false, s_ct);
        await sut.CreateAsync(Drafts.Invoice(other, "X-2", 0m, Drafts.Line(1, 1m)), false, s_ct);

        (await sut.ListAsync(new PageRequest(Search: "0% P"), new InvoiceListFilter(), s_ct)).Items.Select(i => i.Number).ShouldBe(["X-1"]);
        (await sut.ListAsync(new PageRequest(Search: "_"), new InvoiceListFilter(), s_ct)).Items.Select(i => i.Number).ShouldBe(["X-1"]);
        (await sut.ListAsync(new PageRequest(Search: "maria"), new InvoiceListFilter(), s_ct)).Items.Select(i => i.Number).ShouldBe(["X-2"]);
    }

    [Fact]
    public async Task ListAsync_StatusFilter_ReturnsOnlyThatStatus()
    {
        var clientId = await AddClientAsync("Maria");
        await using var scope = Db.CreateScope();
        var sut = scope.Get<InvoiceService>();
        await sut.CreateAsync(Drafts.Invoice(clientId, "D-1", 0m, Drafts.Line(1, 1m)), markSent: false, s_ct);
        await sut.CreateAsync(Drafts.Invoice(clientId, "S-1", 0m, Drafts.Line(1, 1m)), markSent: true, s_ct);

        var page = await sut.ListAsync(new PageRequest(), new InvoiceListFilter(InvoiceStatus.Sent), s_ct);

        page.Items.Select(i => i.Number).ShouldBe(["S-1"]);
    }

    [Fact]
    public async Task GetNewInvoiceDefaultsAsync_ContinuesNumbersAndLastTaxRate()
    {
        var clientId = await AddClientAsync("Maria");
        await using var scope = Db.CreateScope();
        var sut = scope.Get<InvoiceService>();
        (await sut.GetNewInvoiceDefaultsAsync(s_ct)).ShouldBe(new NewInvoiceDefaults("INV-1001", 0m));

        await sut.CreateAsync(Drafts.Invoice(clientId, "INV-2041", 7.5m, Drafts.Line(1, 1m)), false, s_ct);

        (await sut.GetNewInvoiceDefaultsAsync(s_ct)).ShouldBe(new NewInvoiceDefaults("INV-2042", 7.5m));
    }

    [Fact]
    public async Task VoidAsync_Sent_IsVoid()
    {
        var clientId = await AddClientAsync("Maria");
        await using var scope = Db.CreateScope();
        var sut = scope.Get<InvoiceService>();
        var id = await sut.CreateAsync(Drafts.Invoice(clientId, Drafts.Line(1, 1m)), true, s_ct);

        await sut.VoidAsync(id, s_ct);

        (await sut.GetAsync(id, s_ct))!.Status.ShouldBe(InvoiceStatus.Void);
    }

    [Fact]
    public async Task UpdateAsync_InvoiceChangedByAnotherUserMeanwhile_IsRefusedNotOverwritten()
    {
        var clientId = await AddClientAsync("Maria");
        int id;
        await using (var setup = Db.CreateScope())
        {
            id = await setup.Get<InvoiceService>().CreateAsync(Drafts.Invoice(clientId, "INV-7", 0m, Drafts.Line(1, 100m)), true, s_ct);
        }

        // Two people load the invoice; the first records a payment, the second (working from the old state) pays too.
        await using var scope = Db.CreateScope();
        var db = await scope.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<Jobkore.Core.Data.JobkoreDbContext>>().CreateDbContextAsync(s_ct);
        await using (db)
        {
            var stale = await InvoiceService.LoadAsync(db, id, s_ct);
            Db.Time.Advance(TimeSpan.FromSeconds(1));
            await scope.Get<Jobkore.Core.Payments.PaymentService>().RecordAsync(id, new Jobkore.Core.Payments.PaymentEntry(100m, Drafts.Issued, PaymentMethod.Cash, null), s_ct);
            Db.Time.Advance(TimeSpan.FromSeconds(1));
            stale.RecordPayment(100m, Drafts.Issued, PaymentMethod.Cash, null, Db.Time.GetUtcNow());

            var ex = await Should.ThrowAsync<DomainRuleException>(() => InvoiceService.SaveAsync(db, "INV-7", s_ct));

            ex.Message.ShouldBe("Invoice INV-7 was changed by someone else a moment ago. Reload it to see their change, then try again.");
        }

        (await scope.Get<InvoiceService>().GetAsync(id, s_ct))!.AmountPaid.ShouldBe(100m);
    }
}

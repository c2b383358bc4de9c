using AngleSharp.Dom;
using Bunit;
using Jobkore.Core.Clients;
using Jobkore.Core.Common;
using Jobkore.Core.Invoices;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Invoices;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Jobkore.Tests.Web.Components;

public sealed class InvoiceEditorPageTests() : JobkoreBunitContext(seedDemoData: false)
{
    private IRenderedComponent<InvoiceEditorPage> RenderEditor()
    {
        Render<MudPopoverProvider>();
        var cut = Render<InvoiceEditorPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=total]"));
        return cut;
    }

    private static IElement LineInput(IRenderedComponent<InvoiceEditorPage> cut, int line, string field) =>
        cut.Find($"[data-testid=line-{line}] [data-testid={field}]");

    [Fact]
    public void NewInvoice_StartsWithNextNumberTodayAndOneLine()
    {
        var cut = RenderEditor();

        cut.Find("input[data-testid=number]").GetAttribute("value").ShouldBe("INV-1001");
        cut.Find("input[data-testid=issue-date]").GetAttribute("value").ShouldBe("Nov 24, 2026");
        cut.Find("input[data-testid=due-date]").GetAttribute("value").ShouldBe("Dec 24, 2026");
        cut.FindAll("tr[data-testid^=line-]").Count.ShouldBe(1);
        cut.Find("[data-testid=total]").TextContent.ShouldBe("$0.00");
    }

    [Fact]
    public void IconButtonsOfTheFields_HaveAccessibleNames()
    {
        var cut = RenderEditor();

        // The date pickers' calendar buttons and the autocompletes' list buttons show only an icon (axe: button-name).
        var names = cut.FindAll("button.mud-input-adornment-icon-button").Select(b => b.GetAttribute("aria-label")).ToList();
        names.ShouldBe(["Show the clients", "Choose the issue date", "Choose the due date", "Show the catalog items for line 1"], ignoreOrder: true);
    }

    [Fact]
    public void AddingLines_UpdatesAmountsSubtotalTaxAndTotal()
    {
        var cut = RenderEditor();
        cut.Find("input[data-testid=tax-rate]").Input("10");
        LineInput(cut, 1, "quantity").Input("2");
        LineInput(cut, 1, "unit-price").Input("45.50");
        LineInput(cut, 1, "taxable").Change(true);

        cut.FindAll("button").Single(b => b.TextContent.Contains("Add line", StringComparison.Ordinal)).Click();
        LineInput(cut, 2, "quantity").Input("1");
        LineInput(cut, 2, "unit-price").Input("100");

        cut.WaitForAssertion(() =>
        {
            cut.Find("[data-testid=line-1] [data-testid=amount]").TextContent.ShouldBe("$91.00");
            cut.Find("[data-testid=line-2] [data-testid=amount]").TextContent.ShouldBe("$100.00");
            cut.Find("[data-testid=subtotal]").TextContent.ShouldBe("$191.00");
            cut.Find("[data-testid=tax]").TextContent.ShouldBe("$9.10");
            cut.Find("[data-testid=total]").TextContent.ShouldBe("$200.10");
        });
    }

    [Fact]
    public void NegativeQuantity_ShowsTheRuleNextToTheField()
    {
        var cut = RenderEditor();

        LineInput(cut, 1, "quantity").Input("-1");

        cut.WaitForAssertion(() => cut.Find("[data-testid=line-1]").TextContent.ShouldContain("Quantity cannot be negative."));
    }

    [Fact]
    public void PriceWithFractionOfACent_ShowsTheRule()
    {
        var cut = RenderEditor();

        LineInput(cut, 1, "unit-price").Input("10.005");

        cut.WaitForAssertion(() => cut.Find("[data-testid=line-1]").TextContent.ShouldContain("Unit price can have at most 2 decimal places (cents)."));
    }

    [Fact]
    public async Task Save_WithoutClientOrDescription_ShowsMessagesAndSavesNothing()
    {
        var cut = RenderEditor();

        await cut.FindAll("button").Single(b => b.TextContent.Contains("Save draft", StringComparison.Ordinal)).ClickAsync(new());

        cut.WaitForAssertion(() =>
        {
            cut.Markup.ShouldContain("Choose the client this invoice is for.");
            cut.Markup.ShouldContain("Type a description or choose a catalog item.");
            cut.Markup.ShouldContain("Some fields need your attention.");
        });
        await using var scope = Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<InvoiceService>().ListAsync(new PageRequest(), new InvoiceListFilter(), CancellationToken.None)).TotalCount.ShouldBe(0);
    }

    [Fact]
    public async Task Save_ValidInvoiceForClientFromQuery_CreatesItAndOpensIt()
    {
        int clientId;
        await using (var scope = Services.CreateAsyncScope())
        {
            clientId = await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(Drafts.Client("Maria O'Brien"), CancellationToken.None);
        }

        var navigation = Services.GetRequiredService<Bunit.TestDoubles.BunitNavigationManager>();
        navigation.NavigateTo($"/invoices/new?clientId={clientId}");
        var cut = RenderEditor();
        LineInput(cut, 1, "description").Change("Replace shut-off valve");
        LineInput(cut, 1, "unit-price").Input("180");

        await cut.FindAll("button").Single(b => b.TextContent.Contains("Save and mark sent", StringComparison.Ordinal)).ClickAsync(new());

        cut.WaitForAssertion(() => navigation.Uri.ShouldMatch(@"/invoices/\d+$"));
        await using var check = Services.CreateAsyncScope();
        var saved = await check.ServiceProvider.GetRequiredService<InvoiceService>().GetAsync(int.Parse(navigation.Uri.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        saved.ShouldNotBeNull();
        saved.ClientName.ShouldBe("Maria O'Brien");
        saved.Total.ShouldBe(180m);
        saved.Status.ShouldBe(Jobkore.Core.Domain.InvoiceStatus.Sent);
    }

    [Fact]
    public async Task PaidInvoice_KeepsItsClient_AndSaysHowToChangeIt()
    {
        int paidId, unpaidId;
        await using (var scope = Services.CreateAsyncScope())
        {
            var clientId = await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(Drafts.Client("Maria O'Brien"), CancellationToken.None);
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            paidId = await invoices.CreateAsync(Drafts.Invoice(clientId, "INV-1001", 0m, Drafts.Line(1, 100m)), markSent: true, CancellationToken.None);
            unpaidId = await invoices.CreateAsync(Drafts.Invoice(clientId, "INV-1002", 0m, Drafts.Line(1, 100m)), markSent: true, CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<Jobkore.Core.Payments.PaymentService>()
                .RecordAsync(paidId, new Jobkore.Core.Payments.PaymentEntry(40m, Drafts.Issued, Jobkore.Core.Domain.PaymentMethod.Cash, null), CancellationToken.None);
        }

        Render<MudPopoverProvider>();
        var paid = Render<InvoiceEditorPage>(p => p.Add(e => e.Id, paidId));
        paid.WaitForAssertion(() => paid.Find("input[data-testid=client]").GetAttribute("value").ShouldBe("Maria O'Brien"));
        paid.Find("input[data-testid=client]").HasAttribute("readonly").ShouldBeTrue();
        paid.Markup.ShouldContain("This invoice has payments from this client: remove them to change the client.");

        var unpaid = Render<InvoiceEditorPage>(p => p.Add(e => e.Id, unpaidId));
        unpaid.WaitForAssertion(() => unpaid.Find("input[data-testid=client]").GetAttribute("value").ShouldBe("Maria O'Brien"));
        unpaid.Find("input[data-testid=client]").HasAttribute("readonly").ShouldBeFalse();
    }
}

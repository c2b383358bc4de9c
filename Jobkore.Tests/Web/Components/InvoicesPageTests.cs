using Bunit;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Pages.Invoices;
using Microsoft.AspNetCore.Components;

namespace Jobkore.Tests.Web.Components;

public sealed class InvoicesPageTests() : JobkoreBunitContext(seedDemoData: true)
{
    private IRenderedComponent<InvoicesPage> RenderList() => RenderListPage<InvoicesPage>();

    /// <summary>
    /// Types into the search box and waits until the box has handled it, so its pause in typing starts on the fake clock
    /// before the test moves that clock on (Input alone may hand the event to the renderer after the clock has moved).
    /// </summary>
    private static Task TypeAsync(IRenderedComponent<InvoicesPage> cut, string text) =>
        cut.Find("input[type=search]").InputAsync(new ChangeEventArgs { Value = text });

    private static List<string> Column(IRenderedComponent<InvoicesPage> cut, int index) =>
        cut.FindAll("tbody tr").Select(row => row.Children[index].TextContent.Trim()).ToList();

    [Fact]
    public void Render_DemoData_ShowsFirstPageNewestFirst()
    {
        var cut = RenderList();

        cut.FindAll("tbody tr").Count.ShouldBe(25);
        Column(cut, 0)[0].ShouldBe("INV-1060");
        cut.Find("[data-testid=page-range]").TextContent.ShouldBe("1–25 of 60");
        cut.Find("th[aria-sort=descending]").TextContent.ShouldContain("Issued");
    }

    [Fact]
    public void PageButtons_MoveThroughThePages_AndStopAtEitherEnd()
    {
        var cut = RenderList();
        cut.Find("button[aria-label='Previous page']").HasAttribute("disabled").ShouldBeTrue();

        cut.Find("button[aria-label='Next page']").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=page-range]").TextContent.ShouldBe("26–50 of 60"));
        Column(cut, 0)[0].ShouldBe("INV-1035");

        cut.Find("button[aria-label='Last page']").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=page-range]").TextContent.ShouldBe("51–60 of 60"));
        cut.FindAll("tbody tr").Count.ShouldBe(10);
        cut.Find("button[aria-label='Next page']").HasAttribute("disabled").ShouldBeTrue();

        cut.Find("button[aria-label='First page']").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=page-range]").TextContent.ShouldBe("1–25 of 60"));
    }

    [Fact]
    public async Task Search_ClientName_ShowsOnlyTheirInvoices()
    {
        var cut = RenderList();

        await TypeAsync(cut, "o'brien");
        Time.Advance(TimeSpan.FromSeconds(1)); // the search box waits for a pause in typing

        cut.WaitForAssertion(() =>
        {
            var clients = Column(cut, 1);
            clients.ShouldNotBeEmpty();
            clients.ShouldAllBe(name => name.Contains("O'Brien", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Search_NoMatch_ShowsEmptyStateThatSaysSo()
    {
        var cut = RenderList();

        await TypeAsync(cut, "zzz-no-such-invoice");
        Time.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => cut.Markup.ShouldContain("No matching invoices"), TimeSpan.FromSeconds(5));
        cut.Find(".jk-table").ClassList.ShouldContain("jk-table-empty", "app.css hides the head and the pager of an empty list");

        await TypeAsync(cut, string.Empty);
        Time.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => cut.FindAll("tbody tr").Count.ShouldBe(25), TimeSpan.FromSeconds(5));
        cut.Find(".jk-table").ClassList.ShouldNotContain("jk-table-empty");
    }

    [Fact]
    public void SortByTotal_ClickedOnce_ShowsLargestFirst()
    {
        var cut = RenderList();

        cut.FindAll("th button").Single(b => b.TextContent.Contains("Total", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() =>
        {
            var totals = Column(cut, 5).Select(t => decimal.Parse(t, System.Globalization.NumberStyles.Currency, System.Globalization.CultureInfo.GetCultureInfo("en-US"))).ToList();
            totals.ShouldBe(totals.OrderByDescending(t => t).ToList());
            cut.Find("th[aria-sort=descending]").TextContent.ShouldContain("Total");
        });
    }

    [Fact]
    public void Render_StatusesShowIconAndText()
    {
        var cut = RenderList();

        var chips = cut.FindAll("[data-status]");
        chips.ShouldNotBeEmpty();
        chips.ShouldAllBe(chip => chip.GetAttribute("aria-label")!.StartsWith("Status: ", StringComparison.Ordinal) && chip.QuerySelector("svg") != null && chip.TextContent.Trim().Length > 0);
    }
}

using Bunit;
using Jobkore.Core.Sync;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Shared;
using MudBlazor;

namespace Jobkore.Tests.Web.Components.QuickBooks;

public sealed class SyncStatusBadgeTests : JobkoreBunitContext
{
    public SyncStatusBadgeTests()
        : base(seedDemoData: false)
    {
    }

    [Theory]
    [InlineData(SyncStatus.UpToDate, "Up to date")]
    [InlineData(SyncStatus.Edited, "Edited since last sync")]
    [InlineData(SyncStatus.Failed, "Sync failed")]
    [InlineData(SyncStatus.NotSynced, "Not synced yet")]
    [InlineData(SyncStatus.Warning, "Amount differs in QuickBooks")]
    [InlineData(SyncStatus.KeptOut, "Kept out of QuickBooks")]
    public void EveryState_HasAnIconTextAndAriaLabel_NeverColourAlone(SyncStatus status, string text)
    {
        var cut = Render<SyncStatusBadge>(p => p.Add(b => b.Status, status));

        var chip = cut.Find(".mud-chip");
        chip.TextContent.Trim().ShouldBe(text);
        chip.GetAttribute("aria-label").ShouldBe($"QuickBooks: {text}");
        chip.QuerySelector("svg").ShouldNotBeNull();
        cut.Find("[data-testid=sync-badge]").GetAttribute("data-sync-status").ShouldBe(status.ToString());
    }

    [Fact]
    public void Syncing_ShowsASpinnerAndSaysSo()
    {
        var cut = Render<SyncStatusBadge>(p => p.Add(b => b.Status, SyncStatus.Edited).Add(b => b.Syncing, true).Add(b => b.CanAct, true));

        cut.Find("[role=status]").GetAttribute("aria-label").ShouldBe("QuickBooks: syncing");
        cut.FindComponents<MudProgressCircular>().ShouldHaveSingleItem();
        cut.FindAll("button").ShouldBeEmpty();
    }

    [Fact]
    public void NoStatus_BecauseQuickBooksIsNotConnected_ShowsNothing()
    {
        var cut = Render<SyncStatusBadge>(p => p.Add(b => b.Status, (SyncStatus?)null));

        cut.Markup.Trim().ShouldBeEmpty();
    }

    [Fact]
    public async Task Edited_OffersReSync_AndFailed_OffersRetry()
    {
        var pressed = 0;
        var edited = Render<SyncStatusBadge>(p => p.Add(b => b.Status, SyncStatus.Edited).Add(b => b.CanAct, true).Add(b => b.Resync, () => pressed++));
        var failed = Render<SyncStatusBadge>(p => p.Add(b => b.Status, SyncStatus.Failed).Add(b => b.CanAct, true).Add(b => b.Message, "QuickBooks already has a vendor named 'Bob's Burgers'."));

        await edited.Find("button").ClickAsync(new());

        pressed.ShouldBe(1);
        edited.Find("button").GetAttribute("aria-label").ShouldBe("Re-sync to QuickBooks");
        failed.Find("button").GetAttribute("aria-label").ShouldBe("Retry sending to QuickBooks");
        failed.Find("[data-testid=sync-message]").TextContent.ShouldBe("QuickBooks already has a vendor named 'Bob's Burgers'.");
    }

    [Fact]
    public void Failed_InALine_PutsTheMessageInTheTooltipAndTheAriaLabel()
    {
        var cut = Render<SyncStatusBadge>(p => p.Add(b => b.Status, SyncStatus.Failed).Add(b => b.Compact, true).Add(b => b.Message, "Rename the client."));

        cut.Find(".mud-chip").GetAttribute("aria-label").ShouldBe("QuickBooks: Sync failed. Rename the client.");
        cut.FindComponent<MudTooltip>().Instance.Text.ShouldBe("Sync failed: Rename the client.");
        cut.Find(".mud-chip").TextContent.Trim().ShouldBe("Failed");
        cut.FindAll("[data-testid=sync-message]").ShouldBeEmpty();
    }

    /// <summary>A list's badges hold no popover until a person comes to one: 25 rows would keep 40 of them, each redrawn on every change.</summary>
    [Fact]
    public void InALine_TheTooltipsArePopoversOnlyOnceThePointerOrTheFocusComes()
    {
        var popovers = Render<MudPopoverProvider>();
        var pointed = Render<SyncStatusBadge>(p => p.Add(b => b.Status, SyncStatus.Failed).Add(b => b.Compact, true).Add(b => b.CanAct, true).Add(b => b.Message, "Rename the client."));
        var focused = Render<SyncStatusBadge>(p => p.Add(b => b.Status, SyncStatus.Edited).Add(b => b.Compact, true).Add(b => b.CanAct, true));
        popovers.FindAll(".mud-tooltip").ShouldBeEmpty();
        pointed.FindComponents<MudTooltip>().Count.ShouldBe(2);
        pointed.FindComponents<MudTooltip>().ShouldAllBe(t => t.Instance.Disabled);

        pointed.Find("[data-testid=sync-badge]").TriggerEvent("onpointerenter", new Microsoft.AspNetCore.Components.Web.PointerEventArgs());
        focused.Find("button").FocusIn();

        pointed.FindComponents<MudTooltip>().ShouldAllBe(t => !t.Instance.Disabled);
        focused.FindComponents<MudTooltip>().ShouldAllBe(t => !t.Instance.Disabled);
        popovers.WaitForAssertion(() => popovers.FindAll(".mud-tooltip").Count.ShouldBe(4)); // shown on hover: the browser tests
    }

    /// <summary>
    /// A list's chip and action are MudChip's and MudIconButton's markup drawn by the badge (so that a new status changes
    /// attributes, not elements): the same classes and the same icon as the components would draw, in every status.
    /// </summary>
    [Theory]
    [MemberData(nameof(EveryStatus))]
    public void InALine_TheChipAndTheActionAreMudBlazorsMarkup_InEveryStatus(SyncStatus status)
    {
        var cut = Render<SyncStatusBadge>(p => p.Add(b => b.Status, status).Add(b => b.Compact, true).Add(b => b.CanAct, true));
        var full = Render<SyncStatusBadge>(p => p.Add(b => b.Status, status));
        var chip = cut.Find(".mud-chip");
        var mudChip = full.Find(".mud-chip");

        chip.ClassList.ShouldBe(mudChip.ClassList, ignoreOrder: true);
        chip.QuerySelector("svg")!.ClassList.ShouldBe(mudChip.QuerySelector("svg")!.ClassList, ignoreOrder: true);
        Drawn(chip.QuerySelector("svg")!).ShouldBe(Drawn(mudChip.QuerySelector("svg")!));
        chip.QuerySelector(".mud-chip-content")!.TextContent.ShouldNotBeNullOrWhiteSpace();

        var acts = status is SyncStatus.Edited or SyncStatus.Failed;
        var button = cut.Find("button");
        button.ClassList.Contains("d-none").ShouldBe(!acts, "a status with no action hides the button: out of sight, the tab order and the accessibility tree");
        if (acts)
        {
            var retry = status == SyncStatus.Failed;
            var mudButton = Render<MudIconButton>(p => p.Add(b => b.Size, Size.Small).Add(b => b.Color, retry ? Color.Error : Color.Warning)
                .Add(b => b.Icon, retry ? Icons.Material.Outlined.Replay : Icons.Material.Outlined.Sync)).Find("button");
            button.ClassList.ShouldBe(mudButton.ClassList, ignoreOrder: true);
            Drawn(button.QuerySelector("svg")!).ShouldBe(Drawn(mudButton.QuerySelector("svg")!));
            button.GetAttribute("aria-label").ShouldBe(retry ? "Retry sending to QuickBooks" : "Re-sync to QuickBooks");
        }
    }

    [Fact]
    public void InALine_ANewStatus_ChangesTheChipsAttributesNotItsElements()
    {
        var cut = Render<SyncStatusBadge>(p => p.Add(b => b.Status, SyncStatus.UpToDate).Add(b => b.Compact, true).Add(b => b.CanAct, true));
        string Shape() => string.Join(" ", cut.Find("[data-testid=sync-badge]").QuerySelectorAll("*").Select(e => e.LocalName));
        var before = Shape();

        cut.Render(p => p.Add(b => b.Status, SyncStatus.Failed));

        Shape().ShouldBe(before);
        cut.Find(".mud-chip").ClassList.ShouldContain("mud-chip-color-error");
        cut.Find("button").ClassList.ShouldNotContain("d-none");
    }

    [Fact]
    public void IconPaths_KeepTheFilledPaths_AndRefuseOtherShapes()
    {
        IconPaths.Of("""<path d="M0 0h24v24H0z" fill="none"/><g><path d="M1 1h2"/></g><path d="M3 3h4"/>""").ShouldBe(["M1 1h2", "M3 3h4"]);
        Should.Throw<ArgumentException>(() => IconPaths.Of("""<circle cx="12" cy="12" r="3"/>""")).Message.ShouldContain("<circle>");
        Should.Throw<ArgumentException>(() => IconPaths.Of("""<rect fill="none" width="24" height="24"/>""")).Message.ShouldContain("no path");
    }

    public static TheoryData<SyncStatus> EveryStatus() => [.. Enum.GetValues<SyncStatus>()];

    /// <summary>The path data an icon's SVG fills, whatever groups and empty shapes hold it.</summary>
    private static string[] Drawn(AngleSharp.Dom.IElement svg) =>
        [.. svg.QuerySelectorAll("path").Where(p => p.GetAttribute("fill") != "none").Select(p => p.GetAttribute("d")!)];

    [Fact]
    public void Edited_InALine_IsShortOnTheChip_AndFullInTheTooltipAndTheAriaLabel()
    {
        var cut = Render<SyncStatusBadge>(p => p.Add(b => b.Status, SyncStatus.Edited).Add(b => b.Compact, true).Add(b => b.CanAct, true));

        cut.Find(".mud-chip").TextContent.Trim().ShouldBe("Edited");
        cut.Find(".mud-chip").GetAttribute("aria-label").ShouldBe("QuickBooks: Edited since last sync");
        cut.FindComponents<MudTooltip>()[0].Instance.Text.ShouldBe("Edited since last sync");
        cut.Find("button[aria-label='Re-sync to QuickBooks']");
    }
}

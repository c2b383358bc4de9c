using System.Globalization;
using System.Security.Claims;
using Bunit;
using Jobkore.Core.Businesses;
using Jobkore.Core.Security;
using Jobkore.Tests.TestSupport;
using Jobkore.Web.Components.Layout;
using Jobkore.Web.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Web.Components.Layout;

/// <summary>
/// A prerendered page shows at once but answers only over its circuit: until then the layout keeps its controls from
/// taking clicks and keystrokes that would be lost, and says it is connecting.
/// </summary>
public sealed class MainLayoutTests : JobkoreBunitContext
{
    public MainLayoutTests()
        : base(seedDemoData: false)
    {
        Services.AddAuthorizationCore();
        Services.AddScoped<CurrentUser>();
    }

    private static RenderFragment Page => builder =>
    {
        builder.OpenElement(0, "button");
        builder.AddContent(1, "Sync Now");
        builder.CloseElement();
    };

    private IRenderedComponent<MainLayout> RenderLayout(RendererInfo renderer, IComponentRenderMode? assigned)
    {
        var business = Services.GetRequiredService<DefaultBusiness>().Profile.Id.ToString(CultureInfo.InvariantCulture);
        Services.GetRequiredService<CurrentUser>().Set(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "Dana Rivera"), new Claim(JobkoreClaimTypes.BusinessId, business), new Claim(ClaimTypes.Role, Roles.Admin)], "Test")));
        SetRendererInfo(renderer);
        return Render<MainLayout>(p => p.Add(l => l.Body, Page).SetAssignedRenderMode(assigned));
    }

    [Fact]
    public void Prerendered_BeforeTheCircuitIsUp_ContentIsInertAndTheStatusSaysConnecting()
    {
        var cut = RenderLayout(new RendererInfo("Static", isInteractive: false), RenderMode.InteractiveServer);

        var content = cut.Find(".mud-main-content > .mud-container");
        content.HasAttribute("inert").ShouldBeTrue();
        cut.Find(".mud-main-content").ClassList.ShouldContain("jk-awaiting-circuit", "app.css: the pointer says wait");
        content.GetAttribute("aria-busy").ShouldBe("true");
        content.QuerySelector("button")!.TextContent.ShouldBe("Sync Now");
        var status = cut.Find("[role=status]");
        status.TextContent.Trim().ShouldBe("Connecting…");
        status.GetAttribute("aria-live").ShouldBe("polite");
        status.Closest("[inert]").ShouldBeNull();
        cut.Find("button[aria-label='Toggle navigation']").HasAttribute("disabled").ShouldBeTrue();
        cut.FindAll("[data-jk-interactive]").ShouldBeEmpty();
    }

    [Fact]
    public void Prerendered_BeforeTheCircuitIsUp_LinksAndSignOutStillWorkWithoutIt()
    {
        var cut = RenderLayout(new RendererInfo("Static", isInteractive: false), RenderMode.InteractiveServer);

        var signOut = cut.Find("form[action='/account/signout'] button[type=submit]");
        signOut.HasAttribute("disabled").ShouldBeFalse();
        signOut.Closest("[inert]").ShouldBeNull();
        var integrations = cut.Find("a[href='/settings/integrations']");
        integrations.Closest("[inert]").ShouldBeNull();
    }

    [Fact]
    public void Interactive_OverTheCircuit_NothingIsInertAndNoStatusShows()
    {
        var cut = RenderLayout(new RendererInfo("Server", isInteractive: true), RenderMode.InteractiveServer);

        var content = cut.Find(".mud-main-content > .mud-container");
        content.HasAttribute("inert").ShouldBeFalse();
        cut.Find(".mud-main-content").ClassList.ShouldNotContain("jk-awaiting-circuit");
        content.HasAttribute("aria-busy").ShouldBeFalse();
        cut.FindAll("[role=status]").ShouldBeEmpty();
        cut.Find("button[aria-label='Toggle navigation']").HasAttribute("disabled").ShouldBeFalse();
        cut.FindAll("[data-jk-interactive]").Count.ShouldBe(1);
    }

    /// <summary>A page rendered statically on purpose (the error page while handling an exception) gets no circuit: it must not wait for one.</summary>
    [Fact]
    public void StaticOnPurpose_WithNoRenderMode_NothingIsInertAndNoStatusShows()
    {
        var cut = RenderLayout(new RendererInfo("Static", isInteractive: false), assigned: null);

        cut.Find(".mud-main-content > .mud-container").HasAttribute("inert").ShouldBeFalse();
        cut.FindAll("[role=status]").ShouldBeEmpty();
        cut.Find("button[aria-label='Toggle navigation']").HasAttribute("disabled").ShouldBeFalse();
    }
}

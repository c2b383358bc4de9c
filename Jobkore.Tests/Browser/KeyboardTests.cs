using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobkore.Tests.Browser;

/// <summary>
/// Keyboard only: Tab reaches every enabled link and button of a page, and the element with focus looks different from
/// itself without it (a visible focus indicator, WCAG 2.4.7), told by comparing its pixels focused and after Tab moved on.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardTests(BrowserFixture fixture)
{
    private const int MaxTabStops = 150;

    // Every enabled link and button a pointer can use on the page, by the index the test gives it.
    private const string ActionsScript = """
        () => [...document.querySelectorAll('a[href], button:not([disabled]), [role=button]:not([aria-disabled=true]), input:not([disabled]):not([type=hidden])')]
          .filter(e => e.tabIndex >= 0 && e.closest('[inert], [hidden], #blazor-error-ui') === null)
          .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; })
          .map(e => (e.getAttribute('aria-label') || e.innerText || e.labels?.[0]?.innerText || e.getAttribute('name') || e.id || e.tagName).trim().replace(/\s+/g, ' '))
        """;

    private const string ActiveScript = """
        () => {
          const e = document.activeElement;
          if (!e || e === document.body) { return null; }
          const r = e.getBoundingClientRect();
          return { name: (e.getAttribute('aria-label') || e.innerText || e.labels?.[0]?.innerText || e.getAttribute('name') || e.id || e.tagName).trim().replace(/\s+/g, ' '),
                   x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
        }
        """;

    [Theory]
    [InlineData("/invoices")]
    [InlineData("/invoices/1")]
    [InlineData("/invoices/new")]
    [InlineData("/clients")]
    [InlineData("/catalog")]
    [InlineData("/payments")]
    [InlineData("/settings/business")]
    [InlineData("/settings/integrations")]
    [InlineData("/settings/integrations/quickbooks/attention")]
    [InlineData("/settings/integrations/quickbooks/customers")]
    public async Task EveryAction_IsReachedByTab_WithAVisibleFocus(string path)
    {
        var page = await fixture.NewSignedInPageAsync();
        await page.OpenAsync(path);
        await Expect(page.GetByRole(AriaRole.Progressbar)).ToHaveCountAsync(0);
        await page.WaitForSettledAsync();
        var actions = await page.EvaluateAsync<string[]>(ActionsScript);

        var reached = new List<string>();
        var invisible = new List<string>();
        Focused? previous = null;
        for (var i = 0; i < MaxTabStops; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            await page.WaitForSettledAsync();
            if (previous is not null && await ShotAsync(page, previous.Box) is var unfocused && unfocused.AsSpan().SequenceEqual(previous.Shot))
            {
                invisible.Add(previous.Name);
            }

            // The test starts where the page put focus (its heading); past the last tab stop focus leaves the page, and
            // the next Tab starts again from the top, up to the first stop reached.
            var active = await page.EvaluateAsync<ActiveElement?>(ActiveScript);
            if (active is null)
            {
                previous = null;
                continue;
            }

            if (reached.Count > 0 && active.Name == reached[0])
            {
                break;
            }

            reached.Add(active.Name);
            var box = new Clip { X = active.X - 4, Y = active.Y - 4, Width = active.Width + 8, Height = active.Height + 8 };
            previous = new Focused(active.Name, box, await ShotAsync(page, box));
        }

        actions.Except(reached).ShouldBeEmpty($"every action on {path} is reached with Tab; reached: {string.Join(" · ", reached)}");
        invisible.ShouldBeEmpty($"focus is visible on every tab stop of {path}; not on: {string.Join(" · ", invisible)}");
    }

    private static Task<byte[]> ShotAsync(IPage page, Clip box) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Clip = box, FullPage = true, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });

    private sealed record Focused(string Name, Clip Box, byte[] Shot);

    /// <summary>What <see cref="ActiveScript"/> returns; Playwright fills it through its setters.</summary>
    public sealed class ActiveElement
    {
        public string Name { get; set; } = "";

        public float X { get; set; }

        public float Y { get; set; }

        public float Width { get; set; }

        public float Height { get; set; }
    }
}

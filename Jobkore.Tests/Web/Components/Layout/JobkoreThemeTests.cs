using System.Globalization;
using Jobkore.Web.Components.Layout;

namespace Jobkore.Tests.Web.Components.Layout;

/// <summary>
/// Status chips (MudChip's text variant) show the palette's status colour as text on white or on the colour's own light
/// tint; WCAG 2.1 AA asks 4.5:1 for their small text. axe-core checks the pages in the browser tests; this says which
/// colour is at fault when the palette changes.
/// </summary>
public sealed class JobkoreThemeTests
{
    public static TheoryData<string, string> StatusColours() => new()
    {
        { "Success", JobkoreTheme.Theme.PaletteLight.Success.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex) },
        { "Warning", JobkoreTheme.Theme.PaletteLight.Warning.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex) },
        { "Error", JobkoreTheme.Theme.PaletteLight.Error.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex) },
        { "Info", JobkoreTheme.Theme.PaletteLight.Info.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex) },
        { "Primary", JobkoreTheme.Theme.PaletteLight.Primary.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex) },
    };

    [Theory]
    [MemberData(nameof(StatusColours))]
    public void StatusColour_AsTextOnWhiteAndOnItsTintedChip_HasAtLeastAaContrast(string name, string colour)
    {
        // The page background (#f6f7f9) under a 12% tint of the colour is darker than any chip background axe measured.
        var tint = Blend(colour, "#f6f7f9", 0.12);

        Contrast(colour, "#ffffff").ShouldBeGreaterThanOrEqualTo(4.5, $"{name} {colour} on white");
        Contrast(colour, tint).ShouldBeGreaterThanOrEqualTo(4.5, $"{name} {colour} on its chip tint {tint}");
    }

    private static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(string hex)
    {
        static double Channel(int value)
        {
            var c = value / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        var (r, g, b) = Rgb(hex);
        return (0.2126 * Channel(r)) + (0.7152 * Channel(g)) + (0.0722 * Channel(b));
    }

    private static string Blend(string colour, string background, double alpha)
    {
        var (r, g, b) = Rgb(colour);
        var (br, bg, bb) = Rgb(background);
        int Mix(int c, int under) => (int)Math.Round((alpha * c) + ((1 - alpha) * under));
        return string.Create(CultureInfo.InvariantCulture, $"#{Mix(r, br):x2}{Mix(g, bg):x2}{Mix(b, bb):x2}");
    }

    private static (int R, int G, int B) Rgb(string hex) =>
        (int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
         int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
         int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}

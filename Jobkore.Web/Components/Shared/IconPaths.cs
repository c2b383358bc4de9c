using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Jobkore.Web.Components.Shared;

/// <summary>
/// A MudBlazor icon (SVG markup for a 24 × 24 box) as the path data of the shapes it draws, for a component that draws
/// the icon's paths itself: a new icon then changes their <c>d</c> attributes, where a new MudIcon markup string has
/// the browser parse and style new SVG elements (measured on a list's live badge: Jobkore.Bench --only live).
/// </summary>
public static partial class IconPaths
{
    private static readonly ConcurrentDictionary<string, string[]> s_paths = new(StringComparer.Ordinal);

    /// <summary>The <c>d</c> of each shape the icon fills, in order; shapes with <c>fill="none"</c> and groups draw nothing.</summary>
    /// <exception cref="ArgumentException">The icon draws a shape other than a path (a circle, say), which a path list cannot hold.</exception>
    public static IReadOnlyList<string> Of(string icon) => s_paths.GetOrAdd(icon, Parse);

    private static string[] Parse(string icon)
    {
        var paths = new List<string>();
        foreach (Match element in Element().Matches(icon))
        {
            var (tag, attributes) = (element.Groups["tag"].Value, element.Groups["attributes"].Value);
            if (tag == "g" || NoFill().IsMatch(attributes))
            {
                continue;
            }

            var d = PathData().Match(attributes);
            if (tag != "path" || !d.Success)
            {
                throw new ArgumentException($"The icon draws a <{tag}>, not only paths: draw it with MudIcon instead.", nameof(icon));
            }

            paths.Add(d.Groups["d"].Value);
        }

        return paths.Count > 0 ? [.. paths] : throw new ArgumentException("The icon draws no path.", nameof(icon));
    }

    [GeneratedRegex("""<(?<tag>[a-z]+)(?<attributes>[^>]*?)/?>""")]
    private static partial Regex Element();

    [GeneratedRegex("\\bfill=\"none\"")]
    private static partial Regex NoFill();

    [GeneratedRegex("\\bd=\"(?<d>[^\"]*)\"")]
    private static partial Regex PathData();
}

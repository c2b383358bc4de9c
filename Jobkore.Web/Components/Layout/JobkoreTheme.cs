using MudBlazor;

namespace Jobkore.Web.Components.Layout;

internal static class JobkoreTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fbf",
            Secondary = "#0f766e",
            AppbarBackground = "#12335e",
            Background = "#f6f7f9",
            DrawerBackground = "#ffffff",
            // Status colours are text on white and on their own light tint (MudChip's text variant): dark enough for
            // 4.5:1 on both (WCAG 2.1 AA), which MudBlazor's defaults and the earlier shades are not.
            Success = "#1b6e20",
            Warning = "#8a5300",
            Error = "#b71c1c",
            Info = "#0d5ca8",
            TextPrimary = "#1d2433",
            TextSecondary = "#5b6475",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
            H4 = new H4Typography { FontSize = "1.75rem", FontWeight = "600" },
            H6 = new H6Typography { FontWeight = "600" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}

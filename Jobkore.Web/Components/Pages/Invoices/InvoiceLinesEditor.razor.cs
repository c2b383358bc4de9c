using Jobkore.Core.Catalog;
using Jobkore.Core.Domain;
using Jobkore.Web.Formatting;
using Microsoft.AspNetCore.Components;

namespace Jobkore.Web.Components.Pages.Invoices;

/// <summary>The invoice editor's lines: pick a catalog item or type free text, quantity, price, taxable; add and remove lines.</summary>
public sealed partial class InvoiceLinesEditor
{
    [Inject]
    private CatalogService Catalog { get; set; } = null!;

    [Inject]
    private BusinessFormatter Format { get; set; } = null!;

    /// <summary>The lines being edited, changed in place.</summary>
    [Parameter]
    [EditorRequired]
    public List<InvoiceEditorModel.LineModel> Lines { get; set; } = null!;

    /// <summary>Raised after any change to the lines, so the page can show the new totals.</summary>
    [Parameter]
    public EventCallback LinesChanged { get; set; }

    private async Task<IEnumerable<CatalogItemRow>> SearchItemsAsync(string? text, CancellationToken cancellationToken) =>
        await Catalog.SearchActiveAsync(text, 20, cancellationToken);

    private Task ChooseAsync(InvoiceEditorModel.LineModel line, CatalogItemRow? item)
    {
        line.Choose(item);
        return ChangedAsync();
    }

    private Task AddAsync()
    {
        Lines.Add(new InvoiceEditorModel.LineModel { Taxable = false });
        return ChangedAsync();
    }

    private Task RemoveAsync(InvoiceEditorModel.LineModel line)
    {
        Lines.Remove(line);
        return ChangedAsync();
    }

    private Task ChangedAsync() => LinesChanged.InvokeAsync();

    private static string? ValidateDescription(InvoiceEditorModel.LineModel line, string? description) =>
        line.Item is null && string.IsNullOrWhiteSpace(description)
            ? "Type a description or choose a catalog item."
            : Rules.Optional(description, "Description", Invoice.DescriptionMaxLength);
}

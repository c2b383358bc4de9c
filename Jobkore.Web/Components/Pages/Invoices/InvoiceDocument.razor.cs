using Jobkore.Core.Invoices;
using Jobkore.Web.Formatting;
using Microsoft.AspNetCore.Components;

namespace Jobkore.Web.Components.Pages.Invoices;

public sealed partial class InvoiceDocument
{
    [Inject]
    private BusinessFormatter Format { get; set; } = null!;

    [Parameter, EditorRequired]
    public InvoiceView Invoice { get; set; } = null!;
}

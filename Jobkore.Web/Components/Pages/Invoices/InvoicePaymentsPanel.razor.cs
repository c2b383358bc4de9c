using Jobkore.Core.Invoices;
using Jobkore.Web.Formatting;
using Microsoft.AspNetCore.Components;

namespace Jobkore.Web.Components.Pages.Invoices;

public sealed partial class InvoicePaymentsPanel
{
    [Inject]
    private BusinessFormatter Format { get; set; } = null!;

    [Parameter, EditorRequired]
    public IReadOnlyList<InvoicePaymentView> Payments { get; set; } = [];

    /// <summary>While the page is busy with an action, Remove is disabled.</summary>
    [Parameter]
    public bool Busy { get; set; }

    /// <summary>Raised when a payment's Remove is pressed; the page confirms and removes it.</summary>
    [Parameter]
    public EventCallback<InvoicePaymentView> RemovePayment { get; set; }
}

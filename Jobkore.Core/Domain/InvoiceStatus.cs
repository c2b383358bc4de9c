namespace Jobkore.Core.Domain;

public enum InvoiceStatus
{
    Draft = 0,
    Sent = 1,
    PartiallyPaid = 2,
    Paid = 3,
    Void = 4,
}

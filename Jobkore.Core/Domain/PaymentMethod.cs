namespace Jobkore.Core.Domain;

public enum PaymentMethod
{
    Cash = 0,
    Check = 1,
    Card = 2,
    BankTransfer = 3,
    Other = 4,
}

using Jobkore.Core.Domain;

namespace Jobkore.Core.Sync.Projection;

/// <summary>Which QuickBooks payment method a Jobkore payment method is: the first of these names the company has.</summary>
public static class QboPaymentMethods
{
    public static IReadOnlyList<string> Names(PaymentMethod method) => method switch
    {
        PaymentMethod.Cash => ["Cash"],
        PaymentMethod.Check => ["Check", "Cheque"],
        PaymentMethod.Card => ["Credit Card", "Card"],
        PaymentMethod.BankTransfer => ["Bank Transfer", "EFT", "Direct Deposit"],
        _ => ["Other"],
    };

    /// <summary>The id of <paramref name="method"/>'s QuickBooks payment method among <paramref name="companyMethods"/> (name → id, any case); null when it has none.</summary>
    public static string? IdOf(PaymentMethod method, IReadOnlyDictionary<string, string> companyMethods)
    {
        ArgumentNullException.ThrowIfNull(companyMethods);
        return Names(method).Select(n => companyMethods.GetValueOrDefault(n)).FirstOrDefault(id => id is not null);
    }
}
